/**
 * A bundle file (`ppol bundle`): one run and everything it read, as a ppol archive (same migrations)
 * compressed behind a fixed header. The header says what the file is before anything is decompressed:
 *
 *   bytes 0–7   "PPOLBNDL"
 *   8–9         bundle format version (u16 LE)         a newer one is refused
 *   10–11       archive schema version (u16 LE)        a newer one is refused
 *   12          compression: 1 zstd, 2 gzip
 *   13–15       zero
 *   16–23       payload length in bytes (u64 LE)       a truncated file is named as such
 *   24–55       sha256 of the payload                  so is a damaged one
 *   56…         the compressed SQLite file
 *
 * The manifest (what `verify` checks against) is JSON in the archive's meta table, key `bundle_manifest`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { InputError, PpolError } from "../errors.ts";
import { writeFileAtomic } from "../files.ts";
import { sha256 } from "../hash.ts";
import { openStore, SCHEMA_VERSION, type Store } from "./db.ts";
import { getMeta, setMeta } from "./runs.ts";

export const BUNDLE_FORMAT = 1;
const MAGIC = "PPOLBNDL";
const HEADER_BYTES = 56;
const MANIFEST_KEY = "bundle_manifest";

/** sha256 per output item ("episodes/<id>", …) and over all of them. */
export const OutputDigest = z.object({ digest: z.string(), items: z.record(z.string(), z.string()) });
export type OutputDigest = z.infer<typeof OutputDigest>;

export const BundleRun = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  seed: z.number().nullable(),
  created_at: z.string(),
  /** Runs this one read (bundled too; replayed first). */
  depends_on: z.array(z.string()),
  /** sha256 of the stored plan/config (runs.config_json). */
  config_sha256: z.string(),
  /** Hashes of what the run read, by name (τ² data, guidelines, tool schemas, program), for people. */
  inputs: z.record(z.string(), z.string()),
  /** The LLM settings a replay uses when the run's own config has none (a personas run made by a simulate run). */
  llm_config: z.unknown().optional(),
  /** A run another bundled run made (an evolve run's evaluations): recreated by that run's replay, not replayed itself. */
  made_by: z.string().optional(),
});
export type BundleRun = z.infer<typeof BundleRun>;

export const BundleManifest = z.object({
  format: z.int(),
  created_at: z.string(),
  ppol: z.object({ version: z.string(), commit: z.string(), pyodide: z.string(), sqlite: z.string(), schema_version: z.int() }),
  /** The run that was bundled; `runs` also lists the runs it depends on, dependencies first. */
  run: z.string(),
  runs: z.array(BundleRun),
  inputs: z.object({
    tau2: z.array(z.object({ name: z.string(), data_hash: z.string(), files: z.record(z.string(), z.string()) })),
    programs: z.array(z.object({ sha256: z.string(), name: z.string() })),
    /** Human reference sets by name and discriminators by id, each with a sha256 of its rows. */
    sets: z.record(z.string(), z.string()),
    discriminators: z.record(z.string(), z.string()),
    /** Answers per "run/role" (llm_calls in id order), and the stored requests and long texts. */
    llm: z.object({ answers: z.record(z.string(), z.string()), requests: z.string(), blobs: z.string() }),
  }),
  counts: z.record(z.string(), z.int()),
  outputs: z.record(z.string(), OutputDigest),
  /** sha256 over every run's output digest. */
  digest: z.string(),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

export function writeManifest(store: Store, manifest: BundleManifest) {
  setMeta(store, MANIFEST_KEY, JSON.stringify(manifest));
}

/** The archive file made into bundle bytes: checkpointed, vacuumed, compressed, behind the header. */
export function packBundle(store: Store): Uint8Array {
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM");
  store.close();
  const raw = readFileSync(store.path);
  const zstd = typeof Bun.zstdCompressSync === "function";
  const payload = zstd ? Bun.zstdCompressSync(raw, { level: 9 }) : Bun.gzipSync(raw, { level: 9 });
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint16(8, BUNDLE_FORMAT, true);
  view.setUint16(10, SCHEMA_VERSION, true);
  header[12] = zstd ? 1 : 2;
  view.setBigUint64(16, BigInt(payload.byteLength), true);
  header.set(Buffer.from(sha256(payload), "hex"), 24);
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  out.set(header, 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** An unpacked bundle: its archive in a private temporary folder (removed by close()). */
export interface OpenedBundle {
  path: string;
  /** Compressed file size and the archive's size. */
  bytes: { file: number; archive: number };
  format: number;
  manifest: BundleManifest;
  store: Store;
  /** A fresh file in the bundle's temporary folder (for a replay archive). */
  scratchPath(name: string): string;
  close(): void;
}

/**
 * Read a bundle: header, checksum, decompression, then the archive (older archives are migrated in the
 * temporary copy). Not a bundle, truncated, damaged or written by a newer ppol: InputError (exit 2).
 */
export function openBundle(path: string, shownAs = path): OpenedBundle {
  let file: Uint8Array<ArrayBuffer>;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${shownAs}: is a folder, not a bundle`, "give the .ppol file written by `ppol bundle create`");
    file = new Uint8Array(readFileSync(path));
  } catch (error) {
    if (error instanceof PpolError) throw error;
    throw new InputError(`${shownAs}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "give the .ppol file written by `ppol bundle create`");
  }
  const notBundle = () => new InputError(`${shownAs}: not a ppol bundle`, "give a file written by `ppol bundle create`");
  if (file.byteLength < MAGIC.length || new TextDecoder("latin1").decode(file.subarray(0, MAGIC.length)) !== MAGIC) throw notBundle();
  if (file.byteLength < HEADER_BYTES) throw new InputError(`${shownAs}: truncated bundle (${file.byteLength} bytes, shorter than its header)`, "copy the file again");
  const view = new DataView(file.buffer, file.byteOffset, HEADER_BYTES);
  const format = view.getUint16(8, true);
  const schema = view.getUint16(10, true);
  if (format > BUNDLE_FORMAT) throw new InputError(`${shownAs}: bundle format v${format} was written by a newer ppol (this one reads up to v${BUNDLE_FORMAT})`, "upgrade ppol");
  if (schema > SCHEMA_VERSION) throw new InputError(`${shownAs}: bundle archive schema v${schema} was written by a newer ppol (this one knows up to v${SCHEMA_VERSION})`, "upgrade ppol");
  const length = Number(view.getBigUint64(16, true));
  const payload = file.subarray(HEADER_BYTES);
  if (payload.byteLength < length) throw new InputError(`${shownAs}: truncated bundle (${payload.byteLength} of ${length} payload bytes)`, "copy the file again");
  if (payload.byteLength > length || sha256(payload) !== Buffer.from(file.subarray(24, 56)).toString("hex"))
    throw new InputError(`${shownAs}: damaged bundle (its checksum does not match)`, "copy the file again");
  let raw: Uint8Array;
  try {
    raw = file[12] === 1 ? Bun.zstdDecompressSync(payload) : file[12] === 2 ? Bun.gunzipSync(payload) : Uint8Array.of();
  } catch (error) {
    throw new InputError(`${shownAs}: damaged bundle (cannot decompress: ${(error as Error).message})`, "copy the file again");
  }
  if (!raw.byteLength) throw new InputError(`${shownAs}: unknown compression ${file[12]}`, "upgrade ppol");
  const dir = mkdtempSync(join(tmpdir(), "ppol-bundle-"));
  const archive = join(dir, "bundle.sqlite");
  let store: Store | undefined;
  try {
    writeFileAtomic(archive, raw);
    store = openStore(archive);
    const text = getMeta(store, MANIFEST_KEY);
    const parsed = text === undefined ? undefined : BundleManifest.safeParse(JSON.parse(text));
    if (!parsed?.success) throw new InputError(`${shownAs}: the bundle has no readable manifest`, "create the bundle again with `ppol bundle create`");
    const opened = store;
    return {
      path,
      bytes: { file: file.byteLength, archive: raw.byteLength },
      format,
      manifest: parsed.data,
      store: opened,
      scratchPath: (name) => join(dir, name),
      close() {
        opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof PpolError) throw error;
    throw new InputError(`${shownAs}: damaged bundle (${(error as Error).message})`, "copy the file again");
  }
}

/** A new, empty archive in a private temporary folder for building a bundle. */
export function newBundleArchive(): { store: Store; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "ppol-bundle-"));
  const store = openStore(join(dir, "bundle.sqlite"));
  return {
    store,
    dispose() {
      try {
        store.close();
      } catch {
        // already closed by packBundle
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
