import type { GraphBuilder } from '../../src/lib/onnx/index.ts';
import type { WeightDtype } from './weight-store.ts';

/**
 * `erf`: exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)), as upstream (PyTorch's nn.GELU()).
 * `tanh`: the tanh form, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), within 5e-4 of it.
 */
export type GeluForm = 'erf' | 'tanh';

/**
 * GELU in the form onnxruntime's optimizer fuses into one com.microsoft kernel (Gelu, FastGelu
 * for the tanh form); other runtimes run the standard ops as they are.
 */
export function gelu(b: GraphBuilder, x: string, form: GeluForm): string {
  if (form === 'erf') {
    const erf = b.op('Erf', [b.op('Div', [x, b.floats('sqrt2', [Math.SQRT2], [])])]);
    const onePlus = b.op('Add', [erf, b.floats('one', [1], [])]);
    return b.op('Mul', [b.op('Mul', [x, onePlus]), b.floats('half', [0.5], [])]);
  }
  const cube = b.op('Pow', [x, b.floats('three', [3], [])]);
  const inner = b.op('Add', [x, b.op('Mul', [cube, b.floats('gelu_c', [0.044715], [])])]);
  const tanh = b.op('Tanh', [b.op('Mul', [inner, b.floats('sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])])]);
  const onePlus = b.op('Add', [tanh, b.floats('one', [1], [])]);
  return b.op('Mul', [b.op('Mul', [x, b.floats('half', [0.5], [])]), onePlus]);
}

/** int8 graphs already move embeddings by ~1e-3 (cosine bound 0.99): the tanh form (2.4x cheaper in WASM) costs them nothing measurable. */
export const geluFormFor = (dtype: WeightDtype): GeluForm => (dtype === 'int8' ? 'tanh' : 'erf');
