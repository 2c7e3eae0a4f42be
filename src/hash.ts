/** The one sha256 of the project: hex digest of text (UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}
