import type { Command } from "./command.ts";
import archiveInfo from "./archive-info.ts";
import benchmark from "./benchmark.ts";
import bundleCreate from "./bundle-create.ts";
import bundleImport from "./bundle-import.ts";
import bundleInfo from "./bundle-info.ts";
import bundleVerify from "./bundle-verify.ts";
import configShow from "./config-show.ts";
import discriminatorTrain from "./discriminator-train.ts";
import doctor from "./doctor.ts";
import evolve from "./evolve.ts";
import exportConversations from "./export-conversations.ts";
import exportPersonas from "./export-personas.ts";
import exportProgram from "./export-program.ts";
import exportSft from "./export-sft.ts";
import exportTau2Tasks from "./export-tau2-tasks.ts";
import fidelity from "./fidelity.ts";
import fingerprint from "./fingerprint.ts";
import generatorCheck from "./generator-check.ts";
import humanImport from "./human-import.ts";
import init from "./init.ts";
import personas from "./personas.ts";
import plot from "./plot.ts";
import runShow from "./run-show.ts";
import runs from "./runs.ts";
import sandboxRun from "./sandbox-run.ts";
import score from "./score.ts";
import serve from "./serve.ts";
import simulate from "./simulate.ts";
import studyCreate from "./study-create.ts";
import studyResults from "./study-results.ts";
import tau2Import from "./tau2-import.ts";
import tau2Info from "./tau2-info.ts";
import tau2Replay from "./tau2-replay.ts";

/**
 * Every command, in the order `ppol --help` lists them: set-up, then the data flow
 * (task → persona → episode → fingerprint → score), then the web UI and its studies. One file per command in this folder.
 */
export const COMMANDS: readonly Command[] = [
  doctor,
  init,
  configShow,
  archiveInfo,
  runs,
  runShow,
  tau2Import,
  tau2Info,
  tau2Replay,
  generatorCheck,
  sandboxRun,
  personas,
  simulate,
  fidelity,
  humanImport,
  fingerprint,
  discriminatorTrain,
  score,
  evolve,
  benchmark,
  plot,
  { ...exportConversations, name: "conversations export", summary: "the same as `ppol export conversations` (a set, run or file as JSONL)" },
  exportTau2Tasks,
  exportSft,
  exportPersonas,
  exportConversations,
  exportProgram,
  bundleCreate,
  bundleInfo,
  bundleVerify,
  bundleImport,
  serve,
  studyCreate,
  studyResults,
];
