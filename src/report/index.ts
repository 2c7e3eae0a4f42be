/** Reports: what the archive holds, read back for people (CLI tables, JSON, files) and the server. */
export { listRunItems, runDetail, type RunDetail, type RunListItem } from "./runs.ts";
