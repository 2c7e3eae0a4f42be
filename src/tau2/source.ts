/**
 * Where domains come from: a data directory (`--tau2-data DIR`, `TAU2_DATA_DIR`, config
 * `defaults.tau2_data`) wins; otherwise the newest copy imported into the archive with `ppol tau2 import`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { loadTau2Domain, saveTau2Domain, type Store } from "../store/index.ts";
import { sha256 } from "../hash.ts";
import {
  type DataExtras,
  DOMAIN_FILES,
  DOMAIN_NAMES,
  loadDomainDir,
  parseDomain,
  readDataExtras,
  readDomainFiles,
  TOOL_SCHEMAS_FILE,
  USER_GUIDELINES_FILE,
  type Domain,
  type DomainFiles,
  type DomainName,
} from "./load.ts";

export interface DomainSource {
  /** A τ² data directory; empty or undefined = use the archive. */
  dir?: string;
  /** Opens the archive (only called when no directory is given). */
  store?: () => Store;
}

export function loadDomain(name: DomainName, source: DomainSource): Domain {
  if (source.dir) return loadDomainDir(source.dir, name);
  const stored = source.store ? loadTau2Domain(source.store(), name) : undefined;
  if (!stored)
    throw new InputError(`no τ² data for "${name}": no --tau2-data directory given and none imported into the archive`, "pass --tau2-data DIR (or set TAU2_DATA_DIR), or run `ppol tau2 import DIR` once");
  const files = {} as DomainFiles;
  for (const f of DOMAIN_FILES) {
    const text = stored.files[f];
    if (text === undefined) throw new InputError(`archive: τ² domain "${name}" lacks ${f}`, "re-run `ppol tau2 import DIR`");
    files[f] = text;
  }
  const where = `archive:${stored.row.source}`;
  const extra = (file: string) => {
    const text = stored.files[file];
    return text === undefined ? undefined : { text, sha256: sha256(text), source: `${where}/${file}` };
  };
  const userGuidelines = extra(USER_GUIDELINES_FILE);
  const toolSchemas = extra(TOOL_SCHEMAS_FILE);
  return parseDomain(name, files, where, { ...(userGuidelines ? { userGuidelines } : {}), ...(toolSchemas ? { toolSchemas } : {}) });
}

/**
 * Validate every domain folder present in `dir` (all of them before storing anything, so a bad file
 * leaves no half import), then store each in the archive with its hashes. The user-simulator guidelines
 * and tool schemas found with the data are stored with each domain (an import without them drops them).
 */
export function importDomains(dir: string, store: Store, now: Date): Domain[] {
  const present = DOMAIN_NAMES.filter((n) => existsSync(join(dir, n)));
  if (!present.length) throw new InputError(`${dir}: no ${DOMAIN_NAMES.join(" or ")} folder`, "point at the folder that holds retail/ and airline/ (upstream data/tau2/domains)");
  const extras: DataExtras = readDataExtras(dir);
  const parsed = present.map((name) => {
    const files = readDomainFiles(dir, name);
    return { domain: parseDomain(name, files, dir, extras), files };
  });
  for (const { domain, files } of parsed) {
    saveTau2Domain(store, {
      name: domain.name,
      dataHash: domain.hashes.data!,
      source: dir,
      now,
      files: {
        ...Object.fromEntries(DOMAIN_FILES.map((f) => [f, { content: files[f], sha256: domain.hashes[f]! }])),
        ...(extras.userGuidelines ? { [USER_GUIDELINES_FILE]: { content: extras.userGuidelines.text, sha256: extras.userGuidelines.sha256 } } : {}),
        ...(extras.toolSchemas ? { [TOOL_SCHEMAS_FILE]: { content: extras.toolSchemas.text, sha256: extras.toolSchemas.sha256 } } : {}),
      },
    });
  }
  return parsed.map((p) => p.domain);
}
