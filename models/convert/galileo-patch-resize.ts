/**
 * Upstream FlexiPatchEmbed's kernel resize, in closed form and float64. Upstream resizes an
 * 8 x 8 kernel W to p x p as pinv(M) @ W.flatten(), where row k of M is the antialiased
 * bicubic downsampling (F.interpolate, PIL-style, a = -0.5) of the k-th one-hot 8 x 8 image.
 * The interpolation is separable, M = kron(A, A)^T with A [p, 8] the 1-D weights, so
 * pinv(M) = kron(Q, Q) with Q = pinv(A^T) = (A A^T)^-1 A, and W_p = Q W Q^T.
 */

/** Keys cubic with a = -0.5 (what PyTorch's antialiased bicubic uses, not -0.75). */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return a * (((t - 5) * t + 8) * t - 4);
  return 0;
}

/** A [p, native] row-major: the 1-D antialiased bicubic weights; taps outside are dropped. */
export function antialiasedBicubicWeights(p: number, native: number): Float64Array {
  const scale = native / p;
  // Downsampling widens the kernel by `scale` (antialias); upsampling would not, never used here.
  const support = Math.max(scale, 1);
  const a = new Float64Array(p * native);
  for (let i = 0; i < p; i++) {
    const centre = scale * (i + 0.5);
    let sum = 0;
    for (let k = 0; k < native; k++) {
      const w = cubic((k + 0.5 - centre) / support);
      a[i * native + k] = w;
      sum += w;
    }
    for (let k = 0; k < native; k++) a[i * native + k] = (a[i * native + k] ?? 0) / sum;
  }
  return a;
}

/** Inverse of a small square matrix (Gauss-Jordan with partial pivoting), row-major. */
function invert(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col] ?? 0) > Math.abs(a[pivot * n + col] ?? 0)) pivot = r;
    }
    for (let c = 0; c < n; c++) {
      for (const t of [a, inv]) {
        const x = t[col * n + c] ?? 0;
        t[col * n + c] = t[pivot * n + c] ?? 0;
        t[pivot * n + c] = x;
      }
    }
    const d = a[col * n + col] ?? 1;
    for (let c = 0; c < n; c++) {
      a[col * n + c] = (a[col * n + c] ?? 0) / d;
      inv[col * n + c] = (inv[col * n + c] ?? 0) / d;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col] ?? 0;
      if (f === 0) continue;
      for (let c = 0; c < n; c++) {
        a[r * n + c] = (a[r * n + c] ?? 0) - f * (a[col * n + c] ?? 0);
        inv[r * n + c] = (inv[r * n + c] ?? 0) - f * (inv[col * n + c] ?? 0);
      }
    }
  }
  return inv;
}

/** Q = pinv(A^T) = (A A^T)^-1 A, [p, native]; A has full row rank for p <= native. */
export function resizeProjection(p: number, native: number): Float64Array {
  const a = antialiasedBicubicWeights(p, native);
  const gram = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < native; k++) s += (a[i * native + k] ?? 0) * (a[j * native + k] ?? 0);
      gram[i * p + j] = s;
    }
  }
  const g = invert(gram, p);
  const q = new Float64Array(p * native);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < native; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (g[i * p + j] ?? 0) * (a[j * native + k] ?? 0);
      q[i * native + k] = s;
    }
  }
  return q;
}

/**
 * Resizes Conv2d kernels [out, in, native, native] to [out, in, p, p]: W_p = Q W Q^T for
 * every (out, in) pair, in float64, rounded once to float32.
 */
export function resizePatchKernels(
  weights: Float32Array,
  kernels: number,
  native: number,
  p: number,
): Float32Array {
  if (p === native) return Float32Array.from(weights);
  const q = resizeProjection(p, native);
  const out = new Float32Array(kernels * p * p);
  const tmp = new Float64Array(p * native);
  for (let k = 0; k < kernels; k++) {
    const w = weights.subarray(k * native * native, (k + 1) * native * native);
    // tmp = Q W  [p, native]
    for (let i = 0; i < p; i++) {
      for (let c = 0; c < native; c++) {
        let s = 0;
        for (let r = 0; r < native; r++) s += (q[i * native + r] ?? 0) * (w[r * native + c] ?? 0);
        tmp[i * native + c] = s;
      }
    }
    // out = tmp Q^T  [p, p]
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let c = 0; c < native; c++) s += (tmp[i * native + c] ?? 0) * (q[j * native + c] ?? 0);
        out[k * p * p + i * p + j] = s;
      }
    }
  }
  return out;
}
