/**
 * Accounting per role/model/endpoint (calls, answers from the archive, failed attempts, final failures,
 * tokens, latency percentiles, cost from the price table) and the budget guard.
 *
 * Budget: a call reserves an estimate (prompt characters / 4 + max tokens) before it starts; a new call
 * is refused while spent + reserved ≥ the limit, so calls in flight count and the overshoot is at most
 * what the calls already admitted use beyond their estimates. Answers from the archive cost nothing.
 */
import { PpolError } from "../errors.ts";
import type { Role } from "./schema.ts";

export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
}

export interface UsageRow {
  role: Role;
  model: string;
  endpoint: string;
  calls: number;
  cached: number;
  failedAttempts: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export interface UsageReport {
  rows: UsageRow[];
  totals: { calls: number; cached: number; failedAttempts: number; failures: number; promptTokens: number; completionTokens: number; cost: number };
  budget: { maxTokens: number; maxCost: number; reservedTokens: number; reservedCost: number; exhausted: boolean };
}

/** Thrown instead of starting a call once the budget is spent; callers stop new work on it. */
export class BudgetExhausted extends PpolError {
  constructor(message: string) {
    super(message, "raise --max-tokens / --max-cost (llm.budget_tokens / llm.budget_cost), or resume later with the archive", 1);
  }
}

/** USD for tokens of a model under a price table (models not listed cost 0). */
export function costOf(prices: Readonly<Record<string, Price>>, model: string, promptTokens: number, completionTokens: number): number {
  const p = prices[model];
  return p ? (promptTokens * p.input_per_mtok + completionTokens * p.output_per_mtok) / 1e6 : 0;
}

const LATENCY_SAMPLES = 10_000;

interface Bucket {
  row: Omit<UsageRow, "latencyMs">;
  latencies: number[];
}

export class Accounting {
  private readonly buckets = new Map<string, Bucket>();
  private reservedTokens = 0;
  private reservedCost = 0;
  private spentTokens = 0;
  private spentCost = 0;
  private exhausted = false;

  constructor(
    private readonly prices: Record<string, Price>,
    private readonly budget: { maxTokens: number; maxCost: number },
  ) {}

  cost(model: string, promptTokens: number, completionTokens: number): number {
    return costOf(this.prices, model, promptTokens, completionTokens);
  }

  /** Reserve budget for a call about to go to the network; returns the release function. */
  reserve(model: string, estimate: { prompt: number; completion: number }): (actual?: { prompt: number; completion: number }) => void {
    const tokens = estimate.prompt + estimate.completion;
    const cost = this.cost(model, estimate.prompt, estimate.completion);
    const { maxTokens, maxCost } = this.budget;
    if ((maxTokens > 0 && this.spentTokens + this.reservedTokens >= maxTokens) || (maxCost > 0 && this.spentCost + this.reservedCost >= maxCost)) {
      this.exhausted = true;
      throw new BudgetExhausted(
        `LLM budget reached: ${this.spentTokens} tokens${maxTokens ? ` of ${maxTokens}` : ""}, $${this.spentCost.toFixed(4)}${maxCost ? ` of $${maxCost}` : ""} spent, ${this.reservedTokens} tokens in flight`,
      );
    }
    this.reservedTokens += tokens;
    this.reservedCost += cost;
    let done = false;
    return (actual) => {
      if (done) return;
      done = true;
      this.reservedTokens -= tokens;
      this.reservedCost -= cost;
      if (actual) {
        this.spentTokens += actual.prompt + actual.completion;
        this.spentCost += this.cost(model, actual.prompt, actual.completion);
      }
    };
  }

  private bucket(role: Role, model: string, endpoint: string): Bucket {
    const key = `${role}\u0000${model}\u0000${endpoint}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { row: { role, model, endpoint, calls: 0, cached: 0, failedAttempts: 0, failures: 0, promptTokens: 0, completionTokens: 0, cost: 0 }, latencies: [] };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** A finished logical call (network or archive). */
  call(role: Role, model: string, endpoint: string, r: { cached: boolean; promptTokens: number; completionTokens: number; latencyMs: number }) {
    const b = this.bucket(role, model, endpoint);
    b.row.calls++;
    if (r.cached) b.row.cached++;
    else {
      b.row.promptTokens += r.promptTokens;
      b.row.completionTokens += r.completionTokens;
      b.row.cost += this.cost(model, r.promptTokens, r.completionTokens);
      if (b.latencies.length < LATENCY_SAMPLES) b.latencies.push(r.latencyMs);
      else b.latencies[(b.row.calls * 7919) % LATENCY_SAMPLES] = r.latencyMs;
    }
  }

  failedAttempt(role: Role, model: string, endpoint: string) {
    this.bucket(role, model, endpoint).row.failedAttempts++;
  }

  failure(role: Role, model: string, endpoint: string) {
    this.bucket(role, model, endpoint).row.failures++;
  }

  report(): UsageReport {
    const rows = [...this.buckets.values()].map(({ row, latencies }) => ({ ...row, latencyMs: summarise(latencies) }));
    rows.sort((a, b) => (a.role + a.model + a.endpoint < b.role + b.model + b.endpoint ? -1 : 1));
    const sum = (k: "calls" | "cached" | "failedAttempts" | "failures" | "promptTokens" | "completionTokens" | "cost") => rows.reduce((s, r) => s + r[k], 0);
    return {
      rows,
      totals: { calls: sum("calls"), cached: sum("cached"), failedAttempts: sum("failedAttempts"), failures: sum("failures"), promptTokens: sum("promptTokens"), completionTokens: sum("completionTokens"), cost: sum("cost") },
      budget: { ...this.budget, reservedTokens: this.reservedTokens, reservedCost: this.reservedCost, exhausted: this.exhausted },
    };
  }
}

function summarise(xs: number[]): UsageRow["latencyMs"] {
  if (!xs.length) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

/** A plain-text table of a usage report, one line per role/model/endpoint, then totals and budget. */
export function formatUsage(report: UsageReport): string {
  const header = ["role", "model", "endpoint", "calls", "cached", "failed att.", "failures", "tokens in", "tokens out", "cost $", "p50 ms", "p90 ms", "p99 ms"];
  const lines = report.rows.map((r) => [r.role, r.model, r.endpoint, r.calls, r.cached, r.failedAttempts, r.failures, r.promptTokens, r.completionTokens, r.cost.toFixed(4), r.latencyMs.p50.toFixed(0), r.latencyMs.p90.toFixed(0), r.latencyMs.p99.toFixed(0)].map(String));
  const t = report.totals;
  lines.push(["total", "", "", t.calls, t.cached, t.failedAttempts, t.failures, t.promptTokens, t.completionTokens, t.cost.toFixed(4), "", "", ""].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const b = report.budget;
  const budget = b.maxTokens || b.maxCost ? `budget: ${b.maxTokens ? `${b.maxTokens} tokens` : ""}${b.maxTokens && b.maxCost ? ", " : ""}${b.maxCost ? `$${b.maxCost}` : ""}${b.exhausted ? " (reached: new calls were refused)" : ""}` : "budget: none";
  return [fmt(header), ...lines.map(fmt), budget].join("\n");
}
