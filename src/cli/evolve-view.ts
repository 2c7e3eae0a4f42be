/**
 * The live view of `ppol evolve`: one Progress line (redrawn in place on a terminal, a plain line every
 * 10 s in logs) with the iteration and ETA, the best train and validation score with its HL/Cov, each
 * island's best, children accepted and rejected (and why), tokens, cost and calls per second; one-off
 * notes (the bootstrap's discriminator) on lines of their own.
 */
import type { PpolEvolveEvent, Program } from "../evolve/index.ts";
import type { LlmUsage } from "../llm/index.ts";
import { formatCost, formatTokens } from "./format.ts";
import { Progress } from "./progress.ts";

export interface EvolveViewOptions {
  /** Child slots in the run, and how many were done before this process (resume). */
  total: number;
  alreadyDone: number;
  write: (text: string) => void;
  isTTY: boolean;
  usage: () => LlmUsage;
  now?: () => number;
}

const f3 = (x: number) => x.toFixed(3);

export class EvolveView {
  private progress: Progress;
  private bootstrap: Progress | undefined;
  private done: number;
  private best: Program | undefined;
  private bestValidation: number | undefined;
  private readonly islands = new Map<number, number>();
  private accepted = 0;
  private readonly counted = new Set<string>();
  private readonly rejected = new Map<string, number>();
  private readonly started: number;
  private readonly now: () => number;

  constructor(private readonly o: EvolveViewOptions) {
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    this.done = o.alreadyDone;
    this.progress = new Progress({ label: "evolve", total: o.total, alreadyDone: o.alreadyDone, write: o.write, isTTY: o.isTTY, now: o.now });
  }

  on(e: PpolEvolveEvent) {
    if (e.kind === "bootstrap") return this.onBootstrap(e.event);
    if (e.kind === "generation") {
      const step = e.iterations - this.done;
      this.done = e.iterations;
      this.progress.tick(step, this.stats());
      return;
    }
    const p = e.program;
    if (p.kind === "migrant") return;
    if (p.status === "evaluated" && p.metrics) {
      // A validation arrives as a second event for the same program.
      if (p.kind === "child" && !this.counted.has(p.id)) this.accepted++;
      this.counted.add(p.id);
      if (!this.best || p.metrics.score > this.best.metrics!.score) this.best = p;
      this.islands.set(p.island, Math.max(this.islands.get(p.island) ?? -Infinity, p.metrics.score));
      if (p.validation?.status === "evaluated") this.bestValidation = Math.max(this.bestValidation ?? -Infinity, p.validation.metrics.score);
    } else if (p.status === "rejected" || p.status === "failed") {
      const why = `${p.status === "failed" ? "failed " : ""}${p.reason ?? "?"}`;
      this.rejected.set(why, (this.rejected.get(why) ?? 0) + 1);
    }
    this.progress.tick(0, this.stats());
  }

  /** A line of its own (kept above the live line on a terminal). */
  note(text: string) {
    this.o.write(this.o.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }

  finish() {
    this.bootstrap?.finish();
    this.progress.finish(this.stats());
  }

  private onBootstrap(e: Extract<PpolEvolveEvent, { kind: "bootstrap" }>["event"]) {
    if (e.kind === "base_episode") {
      // The first event says how many were done before; each later one is one more episode.
      if (!this.bootstrap) this.bootstrap = new Progress({ label: "bootstrap: base simulator", total: e.total, alreadyDone: e.done, write: this.o.write, isTTY: this.o.isTTY, now: this.o.now });
      else this.bootstrap.tick(1);
      return;
    }
    this.bootstrap?.finish();
    this.bootstrap = undefined;
    const auc = `CV ROC-AUC ${f3(e.cvAuc)}`;
    this.note(`ppol: discriminator ${e.id} (${e.trained ? "trained on the base simulator's episodes" : "given"}): ${auc}${e.weak ? " — below 0.7: HL will carry little signal" : ""}`);
  }

  private stats(): string {
    const parts: string[] = [];
    if (this.best?.metrics) {
      const m = this.best.metrics;
      parts.push(`best ${f3(m.score)}${this.bestValidation !== undefined ? ` (val ${f3(this.bestValidation)})` : ""} HL ${f3(m.hl ?? 0)} Cov ${f3(m.cov ?? 0)}`);
    }
    if (this.islands.size) parts.push(`islands ${[...this.islands.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s.toFixed(2)).join(" ")}`);
    const rejected = [...this.rejected.values()].reduce((a, b) => a + b, 0);
    parts.push(`accepted ${this.accepted} rejected ${rejected}${rejected ? ` (${[...this.rejected.entries()].map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`);
    const t = this.o.usage().totals;
    const seconds = (this.now() - this.started) / 1000;
    parts.push(`${formatTokens(t.promptTokens + t.completionTokens)} tokens · ${formatCost(t.cost)} · ${seconds > 0 ? (t.calls / seconds).toFixed(1) : "0.0"} calls/s`);
    return parts.join(" · ");
  }
}
