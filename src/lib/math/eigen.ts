/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major float64) by cyclic Jacobi
 * rotations: slow for big n (O(n^3) per sweep) but exact and robust for the n <= 1024
 * covariance matrices of embeddings. Returns eigenvalues descending and the matching unit
 * eigenvectors as rows, each signed so its largest-magnitude entry is positive (the sign of an
 * eigenvector is arbitrary; fixing it makes PCA colours reproducible).
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = a[col * n + col]!;
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(v[k * n + col]!) > Math.abs(big)) big = v[k * n + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[row * n + k] = sign * v[k * n + col]!;
  });
  return { values, vectors };
}
