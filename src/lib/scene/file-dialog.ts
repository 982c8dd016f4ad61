import { fromBlob } from 'geotiff';
import { checkTiffStructure, tiffError } from '../cog/index.ts';
import { bandListText, type FileInspection, inspectTiff } from './file-inspect.ts';
import type { DnConvention } from './scene.ts';

/** What the files dialog pre-fills from the files themselves (the CLI reads the same). */
export interface FileDialogDefaults {
  /** Band order of the (first) multi-band file, as its descriptions name it ("B01,B02,..."). */
  bandOrder?: string;
  convention?: DnConvention;
  /** YYYY-MM-DD when the files state one date. */
  date?: string;
  /** The day each file states (undefined where none), in the order of the files. */
  dates: (string | undefined)[];
  /** Where each pre-filled value came from, and what cannot be told, for the user. */
  notes: string[];
}

/** The dialog's defaults from inspections of the picked files (pure; the same mapping as loading). */
export function dialogDefaults(inspections: readonly FileInspection[]): FileDialogDefaults {
  const notes: string[] = [];
  const out: FileDialogDefaults = { dates: inspections.map((i) => i.date?.iso.slice(0, 10)), notes };
  const stack = inspections.find((i) => i.samples > 1);
  if (stack && stack.bandsFrom === 'band descriptions' && stack.bands.every(Boolean)) {
    out.bandOrder = bandListText(stack.bands);
    notes.push(`Band order of ${stack.name} from its band descriptions.`);
  } else if (stack)
    notes.push(
      `${stack.name} holds ${stack.samples} bands its descriptions do not name: give the band order.`,
    );
  const stated = inspections.filter((i) => i.convention);
  const conventions = new Set(stated.map((i) => i.convention!.value));
  if (conventions.size === 1 && stated[0]?.convention) {
    out.convention = stated[0].convention.value;
    notes.push(`Stored values: ${out.convention}, from ${stated[0].name}: ${stated[0].convention.from}.`);
  }
  const days = new Set(out.dates.filter((d): d is string => d !== undefined));
  const dated = inspections.find((i) => i.date);
  if (days.size === 1 && dated?.date) {
    out.date = dated.date.iso.slice(0, 10);
    notes.push(`Date ${out.date} from ${dated.name}: ${dated.date.from}.`);
  } else if (days.size > 1) notes.push(`The files carry ${days.size} dates: ${[...days].sort().join(', ')}.`);
  return out;
}

/** The start of a file read to check its header before it is parsed (openTiff reads as much). */
const HEADER_BYTES = 1 << 20;

/**
 * Inspects picked files for the dialog, reading only their headers (fromBlob reads slices),
 * so a large file costs nothing here. A file that cannot be read becomes a note; loading it
 * says what is wrong in full.
 */
export async function describeFiles(
  files: readonly File[],
  signal?: AbortSignal,
): Promise<FileDialogDefaults> {
  const inspections: FileInspection[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    try {
      // The header's claims checked first, as openTiff does (a corrupt tag count would make
      // geotiff.js allocate gigabytes), which also says plainly when a file is no TIFF at all.
      checkTiffStructure(
        new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()),
        file.size,
        file.name,
      );
      inspections.push(await inspectTiff(await fromBlob(file, signal), file.name, signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      unreadable.push(tiffError(error, file.name, signal).message);
    }
  }
  const defaults = dialogDefaults(inspections);
  // Each message is a sentence of its own (it ends with a full stop).
  if (unreadable.length) defaults.notes.push(`Cannot read: ${unreadable.join(' ')}`);
  return defaults;
}
