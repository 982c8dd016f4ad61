/**
 * WGSL of the per-pixel shaders (one invocation per pixel of one grid chunk). Every shader
 * folds a 2-D dispatch back into one index (dispatch() splits counts above 65535 groups) and
 * writes NaN from a runtime bit pattern: WGSL rejects NaN in constant expressions.
 */
const INDEX = /* wgsl */ `
fn pixelIndex(wg: vec3u, nwg: vec3u, li: u32) -> u32 {
  return (wg.x + wg.y * nwg.x) * 64u + li;
}`;

const ENTRY = `@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = pixelIndex(wg, nwg, li);
  if (i >= p.count) { return; }`;

/** scores[start + i] = clamp(q.x / (|q| |x|), -1, 1); NaN for invalid or zero pixels. */
export const SIMILARITY_WGSL = /* wgsl */ `
struct Params { start: u32, count: u32, dim: u32, qnorm: f32, nanBits: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> valid: array<u32>;
@group(0) @binding(3) var<storage, read> q: array<f32>;
@group(0) @binding(4) var<storage, read_write> scores: array<f32>;
${INDEX}
${ENTRY}
  var dot = 0.0;
  var pp = 0.0;
  let base = i * p.dim;
  for (var d = 0u; d < p.dim; d++) {
    let v = x[base + d];
    dot += v * q[d];
    pp += v * v;
  }
  if (valid[i] == 0u || !(pp > 0.0)) {
    scores[p.start + i] = bitcast<f32>(p.nanBits);
    return;
  }
  scores[p.start + i] = clamp(dot / (p.qnorm * sqrt(pp)), -1.0, 1.0);
}`;

/** out[start + i] = 1 - cos(a_i, b_i); NaN where either pixel is invalid or zero. */
export const CHANGE_WGSL = /* wgsl */ `
struct Params { start: u32, count: u32, dim: u32, nanBits: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> va: array<u32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> vb: array<u32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;
${INDEX}
${ENTRY}
  var ab = 0.0;
  var aa = 0.0;
  var bb = 0.0;
  let base = i * p.dim;
  for (var d = 0u; d < p.dim; d++) {
    let u = a[base + d];
    let v = b[base + d];
    ab += u * v;
    aa += u * u;
    bb += v * v;
  }
  if (va[i] == 0u || vb[i] == 0u || !(aa > 0.0) || !(bb > 0.0)) {
    out[p.start + i] = bitcast<f32>(p.nanBits);
    return;
  }
  out[p.start + i] = 1.0 - clamp(ab / sqrt(aa * bb), -1.0, 1.0);
}`;

/** out[(start + i) * 3 + j] = (x_i - mean) . component_j for j < 3; NaN for invalid pixels. */
export const PROJECT3_WGSL = /* wgsl */ `
struct Params { start: u32, count: u32, dim: u32, nanBits: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> valid: array<u32>;
@group(0) @binding(3) var<storage, read> basis: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
${INDEX}
${ENTRY}
  let o = (p.start + i) * 3u;
  if (valid[i] == 0u) {
    let nan = bitcast<f32>(p.nanBits);
    out[o] = nan;
    out[o + 1u] = nan;
    out[o + 2u] = nan;
    return;
  }
  var s = vec3f(0.0);
  let base = i * p.dim;
  for (var d = 0u; d < p.dim; d++) {
    let v = x[base + d] - basis[d];
    s += v * vec3f(basis[p.dim + d], basis[2u * p.dim + d], basis[3u * p.dim + d]);
  }
  out[o] = s.x;
  out[o + 1u] = s.y;
  out[o + 2u] = s.z;
}`;

export const NAN_BITS = 0x7fc00000;
