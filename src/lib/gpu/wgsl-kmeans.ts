/** Pixels per k-means workgroup: 64 invocations x 16 pixels each. */
export const KMEANS_TILE = 1024;

/**
 * One fused Lloyd pass over a chunk. Phase 1: each invocation assigns 16 pixels of the tile
 * to their nearest centroid (squared Euclidean, float32), storing label and distance.
 * Phase 2: invocation t owns dimensions t, t + 64, ...: it sums the tile's pixels per label
 * for its dimensions, so no two invocations write the same sum and no float atomics are
 * needed. Each workgroup writes one record of k * dim sums, k counts, its inertia and its
 * count of changed labels; KMEANS_REDUCE_WGSL adds the records up.
 */
export const KMEANS_PASS_WGSL = /* wgsl */ `
struct Params { start: u32, count: u32, dim: u32, k: u32, groupOffset: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> valid: array<u32>;
@group(0) @binding(3) var<storage, read> centroids: array<f32>;
@group(0) @binding(4) var<storage, read_write> labels: array<u32>;
@group(0) @binding(5) var<storage, read_write> dist: array<f32>;
@group(0) @binding(6) var<storage, read_write> records: array<f32>;
var<workgroup> tileLabel: array<u32, ${KMEANS_TILE}>;
var<workgroup> tileDist: array<f32, ${KMEANS_TILE}>;
var<workgroup> tileChanged: array<u32, ${KMEANS_TILE}>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let group = wg.x + wg.y * nwg.x;
  let first = group * ${KMEANS_TILE}u;
  for (var r = 0u; r < ${KMEANS_TILE / 64}u; r++) {
    let t = r * 64u + li;
    let i = first + t;
    var label = 255u;
    var best = 0.0;
    var changed = 0u;
    if (i < p.count && valid[i] != 0u) {
      best = 3.0e38;
      let base = i * p.dim;
      for (var c = 0u; c < p.k; c++) {
        var s = 0.0;
        let o = c * p.dim;
        for (var d = 0u; d < p.dim; d++) {
          let e = x[base + d] - centroids[o + d];
          s += e * e;
        }
        if (s < best) {
          best = s;
          label = c;
        }
      }
      let g = p.start + i;
      if (labels[g] != label) { changed = 1u; }
      labels[g] = label;
      dist[g] = best;
    }
    tileLabel[t] = label;
    tileDist[t] = best;
    tileChanged[t] = changed;
  }
  workgroupBarrier();
  let stride = p.k * p.dim + p.k + 2u;
  let record = (p.groupOffset + group) * stride;
  for (var d = li; d < p.dim; d += 64u) {
    // Zeroed explicitly: SwiftShader kept the previous iteration's values in a loop-scoped var.
    var acc: array<f32, 20>;
    for (var c = 0u; c < 20u; c++) { acc[c] = 0.0; }
    for (var t = 0u; t < ${KMEANS_TILE}u; t++) {
      let label = tileLabel[t];
      if (label < 20u) { acc[label] += x[(first + t) * p.dim + d]; }
    }
    for (var c = 0u; c < p.k; c++) { records[record + c * p.dim + d] = acc[c]; }
  }
  if (li < p.k) {
    var n = 0u;
    for (var t = 0u; t < ${KMEANS_TILE}u; t++) { if (tileLabel[t] == li) { n++; } }
    records[record + p.k * p.dim + li] = f32(n);
  }
  if (li == 63u) {
    var inertia = 0.0;
    var changed = 0u;
    for (var t = 0u; t < ${KMEANS_TILE}u; t++) {
      inertia += tileDist[t];
      changed += tileChanged[t];
    }
    records[record + p.k * p.dim + p.k] = inertia;
    records[record + p.k * p.dim + p.k + 1u] = f32(changed);
  }
}`;

/** totals[e] = sum over the `groups` records of entry e (one invocation per entry). */
export const KMEANS_REDUCE_WGSL = /* wgsl */ `
struct Params { stride: u32, groups: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> records: array<f32>;
@group(0) @binding(2) var<storage, read_write> totals: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let e = (wg.x + wg.y * nwg.x) * 64u + li;
  if (e >= p.stride) { return; }
  var s = 0.0;
  for (var g = 0u; g < p.groups; g++) { s += records[g * p.stride + e]; }
  totals[e] = s;
}`;
