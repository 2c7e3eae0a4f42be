/**
 * Domains from the two places they come from: a data directory (upstream's `data/tau2/domains` layout),
 * and the file texts an archive stored at `ppol tau2 import`. τ² never opens the archive: the caller reads
 * the stored texts and passes them in (`loadDomainFiles`), or stores what `readDomainImports` returns.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { type DataExtras, DOMAIN_FILES, type Domain, type DomainFiles, parseDomain, readDataExtras, readDomainFiles, TOOL_SCHEMAS_FILE, USER_GUIDELINES_FILE } from "./load.ts";
import { DOMAIN_NAMES, type DomainName } from "./schema.ts";

/**
 * A domain from stored texts keyed by file name (the four domain files, and the guidelines and tool
 * schemas when they were imported). `source` says where they came from, for errors and provenance.
 */
export function loadDomainFiles(name: DomainName, stored: Readonly<Record<string, string>>, source: string): Domain {
  const files = {} as DomainFiles;
  for (const f of DOMAIN_FILES) {
    const text = stored[f];
    if (text === undefined) throw new InputError(`${source}: τ² domain "${name}" lacks ${f}`, "re-run `ppol tau2 import DIR`");
    files[f] = text;
  }
  const extra = (file: string) => {
    const text = stored[file];
    return text === undefined ? undefined : { text, sha256: sha256(text), source: `${source}/${file}` };
  };
  const userGuidelines = extra(USER_GUIDELINES_FILE);
  const toolSchemas = extra(TOOL_SCHEMAS_FILE);
  return parseDomain(name, files, source, { ...(userGuidelines ? { userGuidelines } : {}), ...(toolSchemas ? { toolSchemas } : {}) });
}

/** One validated domain of a data directory, with the file texts (and their sha256) to store. */
export interface DomainImport {
  domain: Domain;
  files: Record<string, { content: string; sha256: string }>;
}

/**
 * Validate every domain folder present in `dir`, all of them before the caller stores anything, so a bad
 * file leaves no half import. The user-simulator guidelines and tool schemas found with the data go
 * with each domain (an import without them drops them).
 */
export function readDomainImports(dir: string): DomainImport[] {
  const present = DOMAIN_NAMES.filter((n) => existsSync(join(dir, n)));
  if (!present.length) throw new InputError(`${dir}: no ${DOMAIN_NAMES.join(" or ")} folder`, "point at the folder that holds retail/ and airline/ (upstream data/tau2/domains)");
  const extras: DataExtras = readDataExtras(dir);
  return present.map((name) => {
    const texts = readDomainFiles(dir, name);
    const domain = parseDomain(name, texts, dir, extras);
    return {
      domain,
      files: {
        ...Object.fromEntries(DOMAIN_FILES.map((f) => [f, { content: texts[f], sha256: domain.hashes[f]! }])),
        ...(extras.userGuidelines ? { [USER_GUIDELINES_FILE]: { content: extras.userGuidelines.text, sha256: extras.userGuidelines.sha256 } } : {}),
        ...(extras.toolSchemas ? { [TOOL_SCHEMAS_FILE]: { content: extras.toolSchemas.text, sha256: extras.toolSchemas.sha256 } } : {}),
      },
    };
  });
}
