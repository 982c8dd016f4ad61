/**
 * 4-connected components of a label raster (union-find): two pixels belong together when they
 * share an edge and a label. The vectoriser uses components to tell which holes belong to
 * which outer ring, so it needs no point-in-polygon tests.
 */
export interface Components {
  /** Representative pixel index of pixel p's component (call it only for labelled pixels). */
  root(p: number): number;
}

export function labelComponents(
  labels: Uint8Array,
  width: number,
  height: number,
  nodata: number,
): Components {
  const parent = new Int32Array(labels.length);
  for (let p = 0; p < parent.length; p++) parent[p] = p;
  const find = (p: number): number => {
    let r = p;
    while (parent[r]! !== r) r = parent[r]!;
    // Path compression: later look-ups of this chain take one step.
    let q = p;
    while (parent[q]! !== r) {
      const next = parent[q]!;
      parent[q] = r;
      q = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    // The smaller index wins, so a component's root is its first pixel in reading order.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = row + x;
      const label = labels[p]!;
      if (label === nodata) continue;
      if (x > 0 && labels[p - 1] === label) union(p, p - 1);
      if (y > 0 && labels[p - width] === label) union(p, p - width);
    }
  }
  return { root: find };
}
