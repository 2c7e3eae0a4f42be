/** Files a run produced (migration 016): written whole, replaced by name, read back for the web UI. */
import type { Store } from "./db.ts";

export interface RunArtifact {
  name: string;
  content_type: string;
  body: string;
  created_at: string;
}

export function saveArtifacts(store: Store, runId: string, artifacts: readonly Omit<RunArtifact, "created_at">[], now: Date) {
  const put = store.db.query("INSERT OR REPLACE INTO run_artifacts (run_id, name, content_type, body, created_at) VALUES (?, ?, ?, ?, ?)");
  store.tx(() => artifacts.forEach((a) => put.run(runId, a.name, a.content_type, a.body, now.toISOString())));
}

export function listArtifacts(store: Store, runId: string): RunArtifact[] {
  return store.db.query("SELECT name, content_type, body, created_at FROM run_artifacts WHERE run_id = ? ORDER BY name").all(runId) as RunArtifact[];
}
