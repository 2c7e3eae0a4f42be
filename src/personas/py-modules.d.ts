// Python sources shipped inside the binary are imported `with { type: "text" }`.
declare module "*.py" {
  const text: string;
  export default text;
}
