// Files imported `with { type: "file" }` resolve to a path (a $bunfs path inside the compiled binary).
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.zip" {
  const path: string;
  export default path;
}
declare module "*.asm.mjs" {
  const path: string;
  export default path;
}
declare module "*.html" {
  const path: string;
  export default path;
}
declare module "*.css" {
  const path: string;
  export default path;
}
declare module "*.sql" {
  const text: string;
  export default text;
}
// Scripts embedded for the web UI (src/server/assets.ts): only these two, so other .js imports keep their types.
declare module "*/app.js" {
  const path: string;
  export default path;
}
declare module "*/uPlot.iife.min.js" {
  const path: string;
  export default path;
}
