// jstat ships no types; only the distribution functions ppol calls are declared.
declare module "jstat" {
  interface Distribution {
    inv(p: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
  }
  export const jStat: { studentt: Distribution; normal: Distribution };
}
