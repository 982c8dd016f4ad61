import type { DnConvention } from './scene.ts';
import type { TiffMetadata } from './tiff-metadata.ts';

/** Sentinel-2 processing level: top-of-atmosphere (L1C) or surface (L2A) reflectance. */
export type ProcessingLevel = 'L1C' | 'L2A';

/** What a file says about how its numbers become reflectance, with where it said so. */
export interface FoundConvention {
  convention?: { value: DnConvention; from: string };
  level?: { value: ProcessingLevel; from: string };
}

function item(meta: TiffMetadata, pattern: RegExp): [string, string] | undefined {
  for (const items of [meta.dataset, ...meta.bands.map((b) => b.items)]) {
    const entry = Object.entries(items).find(([name]) => pattern.test(name));
    if (entry) return entry;
  }
  return undefined;
}

function levelFrom(text: string): ProcessingLevel | undefined {
  // "Level-1C", "L2A", "S2MSI2A", "MSIL1C": compared without separators.
  const plain = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (/L1C|LEVEL1C|MSI1C/.test(plain)) return 'L1C';
  if (/L2A|LEVEL2A|MSI2A/.test(plain)) return 'L2A';
  return undefined;
}

/** Processing baseline "04.00" (or "N0400" in a product name): 04.00 on adds the -1000 offset. */
function conventionOfBaseline(baseline: number): DnConvention {
  return baseline >= 4 ? 'offset-1000' : 'no-offset';
}

/**
 * The convention and level a file's metadata or name states: BOA_ADD_OFFSET (L2A) or
 * RADIO_ADD_OFFSET (L1C) of -1000 or 0, a PROCESSING_BASELINE, band SCALE/OFFSET of
 * 0.0001/-0.1, PROCESSING_LEVEL, or a product name (MSIL2A, N0400). Only what is said:
 * nothing is guessed from the values.
 */
export function conventionFromMetadata(name: string, meta: TiffMetadata): FoundConvention {
  const found: FoundConvention = {};
  const addOffset = item(meta, /^(BOA|RADIO)_ADD_OFFSET(_|$)/i);
  const baseline = item(meta, /^PROCESSING_BASELINE$/i);
  const productBaseline = /_N(\d{2})(\d{2})_/.exec(name);
  if (addOffset && Number.isFinite(Number(addOffset[1]))) {
    const value: DnConvention = Number(addOffset[1]) === 0 ? 'no-offset' : 'offset-1000';
    if (Number(addOffset[1]) === 0 || Number(addOffset[1]) === -1000)
      found.convention = { value, from: `its metadata (${addOffset[0]} = ${addOffset[1]})` };
  } else if (baseline && Number.isFinite(Number.parseFloat(baseline[1]))) {
    found.convention = {
      value: conventionOfBaseline(Number.parseFloat(baseline[1])),
      from: `its metadata (${baseline[0]} = ${baseline[1]})`,
    };
  } else if (productBaseline?.[1] && productBaseline[2]) {
    found.convention = {
      value: conventionOfBaseline(Number(productBaseline[1]) + Number(productBaseline[2]) / 100),
      from: `its file name (baseline N${productBaseline[1]}${productBaseline[2]})`,
    };
  } else {
    const scale = meta.bands[0]?.items.SCALE;
    const offset = meta.bands[0]?.items.OFFSET;
    if (scale !== undefined && Math.abs(Number(scale) - 0.0001) < 1e-12) {
      const value: DnConvention = Math.abs(Number(offset ?? 0) + 0.1) < 1e-9 ? 'offset-1000' : 'no-offset';
      if (value === 'offset-1000' || Number(offset ?? 0) === 0)
        found.convention = { value, from: `its band scale/offset (${scale}, ${offset ?? 0})` };
    }
  }
  const level = item(meta, /^PROCESSING_LEVEL$|^PRODUCT_TYPE$/i);
  const fromItem = level ? levelFrom(level[1]) : undefined;
  const fromName = levelFrom(/MSI(L1C|L2A)/i.exec(name)?.[1] ?? '');
  if (level && fromItem) found.level = { value: fromItem, from: `its metadata (${level[0]} = ${level[1]})` };
  else if (fromName) found.level = { value: fromName, from: 'its file name' };
  if (!found.level && addOffset)
    found.level = {
      value: addOffset[0].toUpperCase().startsWith('BOA') ? 'L2A' : 'L1C',
      from: `its metadata (${addOffset[0]})`,
    };
  return found;
}
