import { AppError } from '../errors.ts';
import { parseDate } from './file-dates.ts';
import type { FileInspection } from './file-inspect.ts';
import type { DnConvention } from './scene.ts';

/** The date, convention and notes of a set of files that make one scene (one date). */
export interface FileFacts {
  /** ISO date or date-time; '' when neither the files nor the user say. */
  datetime: string;
  convention: DnConvention;
  notes: string[];
}

/** The message when nothing says the convention: what each choice means, for the dialog and the CLI. */
export const CONVENTION_UNKNOWN =
  'The files do not say how their numbers relate to reflectance (no BOA_ADD_OFFSET, RADIO_ADD_OFFSET, processing baseline or band scale in their metadata, no baseline in their names). Choose the convention: offset-1000 (processing baseline 04.00 and later, BOA_ADD_OFFSET -1000), no-offset (before 04.00) or reflectance (0..1 already).';

/**
 * One date and one convention for files read as one scene: the user's when given, else what
 * the files say. Files that disagree are an error that names them, never a silent pick.
 */
export function fileFacts(
  inspections: readonly FileInspection[],
  given: { convention?: DnConvention | undefined; date?: string | undefined },
): FileFacts {
  const notes: string[] = [];
  const dated = inspections.filter((i) => i.date);
  const days = new Set(dated.map((i) => i.date!.iso.slice(0, 10)));
  const givenDate = given.date === undefined ? undefined : parseDate(given.date);
  if (given.date !== undefined && !givenDate)
    throw new AppError('bad-input', `"${given.date.slice(0, 40)}" is not a date; give it as YYYY-MM-DD.`);
  let datetime = givenDate ?? '';
  if (!given.date && days.size > 1)
    throw new AppError(
      'bad-input',
      `The files carry different dates (${dated.map((i) => `${i.name}: ${i.date!.iso.slice(0, 10)}`).join(', ')}): encode them as several dates, or give one date for all.`,
    );
  if (!given.date && dated[0]?.date) {
    datetime = dated[0].date.iso;
    notes.push(`Date ${datetime.slice(0, 10)} from ${dated[0].name}: ${dated[0].date.from}.`);
  }
  const stated = inspections.filter((i) => i.convention);
  const kinds = new Set(stated.map((i) => i.convention!.value));
  if (kinds.size > 1 && !given.convention)
    throw new AppError(
      'bad-input',
      `The files state different conventions (${stated.map((i) => `${i.name}: ${i.convention!.value}`).join(', ')}): choose one.`,
    );
  const said = stated[0]?.convention;
  const convention = given.convention ?? said?.value;
  if (!convention) throw new AppError('bad-input', CONVENTION_UNKNOWN);
  if (!given.convention && said)
    notes.push(`Convention ${said.value} from ${stated[0]!.name}: ${said.from}.`);
  if (given.convention && said && said.value !== given.convention)
    notes.push(
      `${stated[0]!.name} states ${said.value} (${said.from}) but ${given.convention} was chosen: the choice is used.`,
    );
  const level = inspections.find((i) => i.level)?.level;
  if (level)
    notes.push(
      level.value === 'L1C'
        ? `Level-1C (top-of-atmosphere) reflectance, from ${level.from}: the encoders are fed it as it is (Presto and Galileo were trained on L1C; the spectral statistics are L2A).`
        : `Level-2A (surface) reflectance, from ${level.from}.`,
    );
  return { datetime, convention, notes };
}
