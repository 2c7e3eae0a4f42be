/**
 * Per-episode DB state as a copy-on-write overlay over one frozen base DB: a reset is `new DbState(base)`
 * (a few empty Maps), and a tool that changes a record first copies just that record. Iteration keeps
 * Python dict order: base keys in file order, then keys added during the episode.
 */
import { sha256 } from "../hash.ts";
import { clone, dumps, type Py, type PyDict } from "./py.ts";
import { eq, hashable } from "./pyops.ts";

/** table name → (key → record), in file order. */
export type BaseDb = Readonly<Record<string, ReadonlyMap<string, PyDict>>>;

export class Table {
  /** key → this episode's version of the record (null = deleted). */
  private readonly overlay = new Map<string, PyDict | null>();
  private readonly added: string[] = [];
  constructor(readonly base: ReadonlyMap<string, PyDict>) {}

  /** `key in table` with Python semantics: unhashable keys raise, non-str keys are never present. */
  has(key: Py): boolean {
    hashable(key);
    if (typeof key !== "string") return false;
    const o = this.overlay.get(key);
    if (o !== undefined) return o !== null;
    return this.base.has(key);
  }
  /** Read-only view (frozen when it comes from the base). Call `has` first. */
  get(key: string): PyDict {
    const o = this.overlay.get(key);
    if (o !== undefined && o !== null) return o;
    return this.base.get(key)!;
  }
  /** A mutable copy owned by this episode. */
  mut(key: string): PyDict {
    let o = this.overlay.get(key);
    if (o === undefined || o === null) {
      o = clone(this.base.get(key)!);
      this.overlay.set(key, o);
    }
    return o;
  }
  set(key: string, record: PyDict): void {
    if (!this.base.has(key) && !this.overlay.has(key)) this.added.push(key);
    this.overlay.set(key, record);
  }
  *keys(): Iterable<string> {
    for (const k of this.base.keys()) if (this.overlay.get(k) !== null) yield k;
    for (const k of this.added) if (this.overlay.get(k) !== null) yield k;
  }
  *values(): Iterable<PyDict> {
    for (const k of this.keys()) yield this.get(k);
  }
  /** Records whose content differs from the base (null = deleted), in dict order. */
  diff(): Record<string, PyDict | null> {
    const out: Record<string, PyDict | null> = {};
    for (const [k, v] of this.overlay) {
      const b = this.base.get(k);
      if (v === null ? b !== undefined : b === undefined || !eq(v, b)) out[k] = v;
    }
    return out;
  }
  touchedKeys(): string[] {
    return [...this.overlay.keys()];
  }
}

export class DbState {
  readonly tables: Record<string, Table>;
  constructor(readonly base: BaseDb) {
    this.tables = {};
    for (const name of Object.keys(base)) this.tables[name] = new Table(base[name]!);
  }
  table(name: string): Table {
    return this.tables[name]!;
  }
  /** `{table: {key: record | null}}` for every changed record. */
  diff(): Record<string, Record<string, PyDict | null>> {
    const out: Record<string, Record<string, PyDict | null>> = {};
    for (const [name, t] of Object.entries(this.tables)) {
      const d = t.diff();
      if (Object.keys(d).length) out[name] = d;
    }
    return out;
  }
  /**
   * Canonical hash of the whole state. Every state shares the same frozen base, so it is enough to hash
   * the records that serialise differently from the base (Python `json.dumps(..., sort_keys=True)` text, so
   * `2` and `2.0` differ as they do upstream); equal states give equal hashes, by construction.
   */
  hash(): string {
    const lines: string[] = [];
    for (const name of Object.keys(this.tables).sort()) {
      const t = this.tables[name]!;
      for (const key of t.touchedKeys().sort()) {
        const base = t.base.get(key);
        const now = t.has(key) ? t.get(key) : null;
        const text = now === null ? "null" : dumps(now, true);
        if (base !== undefined && text === dumps(base, true)) continue;
        lines.push(`${JSON.stringify(name)}\t${JSON.stringify(key)}\t${text}\n`);
      }
    }
    return sha256(lines.join(""));
  }

  /**
   * Upstream's own DB hash: sha256 of `json.dumps(db.model_dump(), sort_keys=True)` over the whole DB.
   * Serialises everything (slow on airline); `hash()` is the cheap equivalent for comparing states.
   */
  upstreamHash(): string {
    const db = new Map<string, Py>();
    for (const [name, t] of Object.entries(this.tables)) db.set(name, new Map<string, Py>([...t.keys()].map((k) => [k, t.get(k)])));
    return sha256(dumps(db, true));
  }
}
