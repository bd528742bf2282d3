/** The nearest-rank percentile of a sample (p in 0–100), as every benchmark reports it. */
export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
