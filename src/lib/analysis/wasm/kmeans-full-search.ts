import { centroidScore, multiplyAdd, sqrtPositive } from './emit.ts';
import { KernelCode, type Member, newMember, P, PARAM_TYPES, scaled } from './kernel-builder.ts';
import { op } from './ops.ts';
import { F32, I32, V128, type WasmFunction } from './wasm-bytes.ts';

/**
 * Centroids per pass over a pair of members in the full search: each (member, centroid) has
 * its own accumulator register; 2 x 4 of them, the two members' values and a centroid's fit
 * the 16 vector registers of x86-64 without spilling.
 */
const GROUP = 4;

/** Centroid indices split into consecutive groups of at most GROUP, as even as possible. */
function centroidGroups(k: number): number[][] {
  const count = Math.ceil(k / GROUP);
  const groups: number[][] = [];
  for (let g = 0, c = 0; g < count; g++) {
    const size = Math.floor(k / count) + (g < k % count ? 1 : 0);
    groups.push(Array.from({ length: size }, (_, i) => c + i));
    c += size;
  }
  return groups;
}

/**
 * searchAll(...) -> labels changed: every centroid scored for every member in [FROM, TO), two
 * members at a time; the nearest (first on ties) becomes its label, and its bounds are set
 * from the scores: upper sqrt(|x|^2 + best + e), lower sqrt(|x|^2 + score - e) per centroid.
 */
export function searchAll(k: number, dimBytes: number): WasmFunction {
  const code = new KernelCode(k, dimBytes);
  const { locals } = code;
  const j = locals.add(I32);
  const members = [newMember(locals), newMember(locals)];
  const rows = [locals.add(I32), locals.add(I32)];
  const s = locals.add(F32);
  const e = locals.add(F32);
  const cv = locals.add(V128);
  const x = [locals.add(V128), locals.add(V128)];
  const acc = Array.from({ length: 2 * GROUP }, () => locals.add(V128));

  // The scores in the row become lower bounds, the best one the upper bound.
  const bounds = (m: Member, row: number): number[] => {
    const out = [...code.margin(m), ...op.set(e)];
    for (let v = 0; v < code.lowerBytes; v += 16) {
      out.push(...op.get(row), ...op.get(row), ...op.v128LoadAt(v));
      out.push(...op.get(m.xn), ...op.f32x4Splat, ...op.f32x4Add, ...op.get(e), ...op.f32x4Splat);
      out.push(...op.f32x4Sub, ...op.v128Zero, ...op.f32x4Max, ...op.f32x4Sqrt, ...op.v128StoreAt(v));
    }
    for (let c = k; c < code.lowerBytes / 4; c++) {
      out.push(...op.get(row), ...op.f32(Number.POSITIVE_INFINITY), ...op.f32StoreAt(c * 4));
    }
    out.push(...scaled(P.UPPER, m.j, 4));
    out.push(...sqrtPositive([...op.get(m.xn), ...op.get(m.best), ...op.f32Add, ...op.get(e), ...op.f32Add]));
    out.push(...op.f32Store);
    return out;
  };

  const search = (who: Member[]): number[] => {
    const out: number[] = [];
    who.forEach((m, w) => {
      out.push(...code.countScores(k));
      out.push(...op.f32(Number.POSITIVE_INFINITY), ...op.set(m.best), ...op.i32(0), ...op.set(m.bc));
      out.push(...scaled(P.LOWER, m.j, code.lowerBytes), ...op.set(rows[w]!));
    });
    for (const group of centroidGroups(k)) {
      const accOf = (w: number, g: number) => acc[w * GROUP + g]!;
      group.forEach((_, g) => {
        who.forEach((_, w) => {
          out.push(...op.v128Zero, ...op.set(accOf(w, g)));
        });
      });
      // One pass over the members' values for the group; centroid c is at CENT + c * dimBytes.
      const body: number[] = [];
      who.forEach((m, w) => {
        body.push(...op.get(m.xp), ...op.get(code.d), ...op.i32Add, ...op.v128Load, ...op.set(x[w]!));
      });
      group.forEach((c, g) => {
        body.push(...op.get(P.CENT), ...op.get(code.d), ...op.i32Add);
        body.push(...op.v128LoadAt(c * dimBytes), ...op.set(cv));
        who.forEach((_, w) => {
          body.push(...multiplyAdd(accOf(w, g), op.get(x[w]!), op.get(cv)));
        });
      });
      out.push(...code.dimLoop(16, body));
      group.forEach((c, g) => {
        who.forEach((m, w) => {
          out.push(
            ...centroidScore([...op.get(P.CN), ...op.f32LoadAt(c * 4)], accOf(w, g)),
            ...op.set(s),
            // the raw score, made a bound below
            ...op.get(rows[w]!),
            ...op.get(s),
            ...op.f32StoreAt(c * 4),
            ...op.get(s),
            ...op.get(m.best),
            ...op.f32Lt,
            ...op.if,
            ...op.get(s),
            ...op.set(m.best),
            ...op.i32(c),
            ...op.set(m.bc),
            ...op.end,
          );
        });
      });
    }
    who.forEach((m, w) => {
      out.push(...bounds(m, rows[w]!), ...code.relabel(m));
    });
    return out;
  };

  const [one, two] = [members[0]!, members[1]!];
  const body = [
    ...op.get(P.FROM),
    ...op.set(j),
    ...op.block,
    ...op.loop,
    ...op.get(j),
    ...op.i32(1),
    ...op.i32Add,
    ...op.get(P.TO),
    ...op.i32GeU,
    ...op.brIf(1),
    ...code.load(one, op.get(j)),
    ...code.load(two, [...op.get(j), ...op.i32(1), ...op.i32Add]),
    ...search([one, two]),
    ...op.get(j),
    ...op.i32(2),
    ...op.i32Add,
    ...op.set(j),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.get(j),
    ...op.get(P.TO),
    ...op.i32LtU,
    ...op.if,
    ...code.load(one, op.get(j)),
    ...search([one]),
    ...op.end,
  ];
  return {
    exportName: 'searchAll',
    params: PARAM_TYPES,
    results: [I32],
    locals: code.locals.types,
    body: code.wrap(body),
  };
}
