/**
 * What `ppol bundle` needs to know per run kind, as a small registry: which runs and inputs a run read
 * (for `create`) and how to replay it through its stage API in a replay archive (for `verify`). A kind
 * without an entry cannot be bundled yet.
 *
 * An evolve run's entry also names the runs it made (its evaluations), which travel as its outputs. A
 * benchmark run would plug in the same way: its personas and simulate runs as children, its replay
 * resumeBenchmark.
 */
import type { RunKind } from "../store/index.ts";
import type { BundleKind } from "./bundle-entry.ts";
import { evolveBundle } from "./bundle-evolve.ts";
import { personasBundle } from "./bundle-personas.ts";
import { simulateBundle } from "./bundle-simulate.ts";

export const BUNDLE_KINDS: Partial<Record<RunKind, BundleKind>> = {
  simulate: simulateBundle,
  personas: personasBundle,
  evolve: evolveBundle,
};
