// Preloaded before every test file (bunfig.toml): Pyodide boots and binary builds take seconds here.
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
