import type { GraphBuilder } from '../../src/lib/onnx/index.ts';

/** Taylor terms up to x^21 / x^20: truncation error below 1e-10 on [-pi, pi]. */
const TERMS = 11;

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * sin and cos of `radians` from Mul/Add/Floor only. WGSL allows sin/cos an absolute error of
 * 2^-11 (~5e-4), and on WebGPU that alone moved Presto's embeddings by ~1e-3 through the
 * lat/lon token; a polynomial runs the same float32 arithmetic on every execution provider
 * (error ~1e-6 after reduction to [-pi, pi], where the alternating sum stays below cosh(pi)).
 */
export function sinCos(b: GraphBuilder, radians: string): { sin: string; cos: string } {
  const turns = b.op('Floor', [
    b.op('Add', [
      b.op('Mul', [radians, b.floats('inv_two_pi', [1 / (2 * Math.PI)], [])]),
      b.floats('half', [0.5], []),
    ]),
  ]);
  const x = b.op('Sub', [radians, b.op('Mul', [turns, b.floats('two_pi', [2 * Math.PI], [])])]);
  const x2 = b.op('Mul', [x, x]);
  // Horner in x^2 with coefficients (-1)^k / (2k + offset)!, highest power first.
  const series = (offset: number): string => {
    const coefficient = (k: number): string =>
      b.floats('taylor', [(-1) ** k / factorial(2 * k + offset)], []);
    let acc = coefficient(TERMS - 1);
    for (let k = TERMS - 2; k >= 0; k--) acc = b.op('Add', [b.op('Mul', [acc, x2]), coefficient(k)]);
    return acc;
  };
  return { sin: b.op('Mul', [x, series(1)]), cos: series(0) };
}
