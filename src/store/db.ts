import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, PpolError } from "../errors.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export interface Store {
  readonly db: Database;
  readonly path: string;
  /** Run fn in one transaction (IMMEDIATE, so writers queue on busy_timeout instead of failing late). */
  tx<T>(fn: () => T): T;
  close(): void;
}

/**
 * Open (creating if needed) an archive: WAL, foreign keys, busy timeout, migrations applied.
 * An archive written by a newer ppol is refused rather than misread.
 */
export function openStore(path: string, opts: { readonly?: boolean } = {}): Store {
  let db: Database;
  try {
    if (path !== ":memory:" && !opts.readonly) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, opts.readonly ? { readonly: true } : { create: true, readwrite: true, strict: true });
    db.exec("PRAGMA busy_timeout = 10000");
    if (!opts.readonly) db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
  } catch (error) {
    throw new InputError(`${path}: cannot open archive (${(error as Error).message})`, "check the --db path: its folder must exist and be writable", { cause: error });
  }
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  const tx = <T>(fn: () => T): T => db.transaction(fn).immediate();
  return { db, path, tx, close: () => db.close() };
}

/**
 * Open an archive read-only for a reader beside a writer (the web server): no migrations, no journal
 * change, writes refused by SQLite. The schema must be exactly what this ppol knows: an older archive is
 * refused with the command that migrates it, a newer one like openStore does.
 */
export function openReadStore(path: string): Store {
  let db: Database;
  try {
    db = new Database(path, { readonly: true });
    db.exec("PRAGMA busy_timeout = 10000; PRAGMA query_only = ON");
  } catch (error) {
    throw new InputError(`${path}: cannot open archive read-only (${(error as Error).message})`, "check the --db path", { cause: error });
  }
  let applied: Set<number>;
  try {
    applied = new Set((db.query("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  } catch (error) {
    db.close();
    throw new InputError(`${path}: not a ppol archive (${(error as Error).message})`, "point --db at a ppol archive", { cause: error });
  }
  const current = Math.max(0, ...applied);
  const missing = MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version);
  if (current > SCHEMA_VERSION || missing.length) {
    db.close();
    if (current > SCHEMA_VERSION)
      throw new PpolError(`${path}: archive schema v${current} was written by a newer ppol (this one knows up to v${SCHEMA_VERSION})`, "upgrade ppol, or use another --db", 2);
    throw new InputError(`${path}: archive lacks migrations ${missing.join(", ")}`, "open it once with a writing command (e.g. `ppol archive info --db PATH`)");
  }
  return {
    db,
    path,
    tx: () => {
      throw new PpolError(`${path}: opened read-only`, "writes go through openStore");
    },
    close: () => db.close(),
  };
}

function migrate(db: Database, path: string) {
  let applied: Set<number>;
  try {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
    applied = new Set((db.query("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  } catch (error) {
    throw new InputError(`${path}: not a ppol archive (${(error as Error).message})`, "point --db at a ppol archive or a new file name", { cause: error });
  }
  const current = Math.max(0, ...applied);
  if (current > SCHEMA_VERSION)
    throw new PpolError(`${path}: archive schema v${current} was written by a newer ppol (this one knows up to v${SCHEMA_VERSION})`, "upgrade ppol, or use another --db", 2);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}
