/**
 * A progress line for long work: done/total, rate, ETA and free-form stats. Redraws in place on a
 * terminal (at most every 100 ms); elsewhere prints a plain line every `plainEveryMs` so logs stay
 * readable. The clock is injected so tests can drive it.
 */
export interface ProgressOptions {
  label: string;
  total: number;
  write: (text: string) => void;
  isTTY: boolean;
  now?: () => number;
  plainEveryMs?: number;
  /** Work finished before this process started (a resumed run): counted as done, not in the rate. */
  alreadyDone?: number;
}

export class Progress {
  private done: number;
  private stats = "";
  private readonly started: number;
  private lastDraw: number;
  private drawn = false;
  private lastLine = "";
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.done = options.alreadyDone ?? 0;
    // On a terminal draw at once; in logs, only work that lasts gets lines (the first after plainEveryMs).
    this.lastDraw = options.isTTY ? -Infinity : this.started;
  }

  /** Advance by `n` and optionally replace the stats text (e.g. "pass 0.62 · 41k tokens"). */
  tick(n = 1, stats?: string) {
    this.done += n;
    if (stats !== undefined) this.stats = stats;
    this.draw(false);
  }

  finish(stats?: string) {
    if (stats !== undefined) this.stats = stats;
    // A short job that printed nothing to a log stays quiet; on a terminal the bar always completes.
    if (!this.options.isTTY && !this.drawn) return;
    this.draw(true);
    if (this.options.isTTY) this.options.write("\n");
  }

  /** The current line, without terminal control codes. */
  line(): string {
    const { label, total } = this.options;
    const elapsed = (this.now() - this.started) / 1000;
    const doneHere = this.done - (this.options.alreadyDone ?? 0);
    const rate = elapsed > 0 ? doneHere / elapsed : 0;
    const remaining = total - this.done;
    const eta = doneHere > 0 && remaining > 0 ? formatDuration(remaining / rate) : this.done >= total ? "done" : "…";
    const width = 24;
    const filled = total > 0 ? Math.min(width, Math.round((this.done / total) * width)) : width;
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const pct = total > 0 ? Math.floor((this.done / total) * 100) : 100;
    return `${label} ${bar} ${this.done}/${total} ${pct}% · ${formatDuration(elapsed)} elapsed · ETA ${eta}${this.stats ? ` · ${this.stats}` : ""}`;
  }

  private draw(force: boolean) {
    const t = this.now();
    const every = this.options.isTTY ? 100 : this.options.plainEveryMs ?? 10_000;
    if (!force && t - this.lastDraw < every) return;
    const line = this.line();
    // In a log, never repeat the line just written (e.g. the last tick, then finish).
    if (!this.options.isTTY && line === this.lastLine) return;
    this.lastDraw = t;
    this.drawn = true;
    this.lastLine = line;
    this.options.write(this.options.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "…";
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}
