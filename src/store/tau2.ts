/** τ² domain files in the archive: one row per import (name + data hash), the four file texts beside it. */
import { z } from "zod";
import type { Store } from "./db.ts";

export const Tau2DomainRow = z.object({ name: z.string(), data_hash: z.string(), source: z.string(), imported_at: z.string() });
export type Tau2DomainRow = z.infer<typeof Tau2DomainRow>;

/**
 * Store one domain's files (idempotent: the same data hash is kept once, its import time refreshed). The
 * file set is replaced as a whole, so optional files an import lacks do not linger from an earlier one.
 */
export function saveTau2Domain(
  store: Store,
  d: { name: string; dataHash: string; source: string; now: Date; files: Record<string, { content: string; sha256: string }> },
): void {
  store.tx(() => {
    store.db
      .query(
        "INSERT INTO tau2_domains (name, data_hash, source, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, data_hash) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at",
      )
      .run(d.name, d.dataHash, d.source, d.now.toISOString());
    store.db.query("DELETE FROM tau2_files WHERE name = ? AND data_hash = ?").run(d.name, d.dataHash);
    const put = store.db.query("INSERT OR REPLACE INTO tau2_files (name, data_hash, file, sha256, content) VALUES (?, ?, ?, ?, ?)");
    for (const [file, f] of Object.entries(d.files)) put.run(d.name, d.dataHash, file, f.sha256, f.content);
  });
}

/** Every imported version, newest first. */
export function listTau2Domains(store: Store): Tau2DomainRow[] {
  return store.db
    .query("SELECT name, data_hash, source, imported_at FROM tau2_domains ORDER BY imported_at DESC, name")
    .all()
    .map((r) => Tau2DomainRow.parse(r));
}

/** The newest import of a domain: its row and file texts, or undefined. */
export function loadTau2Domain(store: Store, name: string): { row: Tau2DomainRow; files: Record<string, string> } | undefined {
  const row = store.db.query("SELECT name, data_hash, source, imported_at FROM tau2_domains WHERE name = ? ORDER BY imported_at DESC LIMIT 1").get(name);
  if (!row) return undefined;
  const parsed = Tau2DomainRow.parse(row);
  const files: Record<string, string> = {};
  for (const f of store.db.query("SELECT file, content FROM tau2_files WHERE name = ? AND data_hash = ?").all(name, parsed.data_hash) as { file: string; content: string }[])
    files[f.file] = f.content;
  return { row: parsed, files };
}
