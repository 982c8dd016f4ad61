import { AppError } from '../errors.ts';
import { parseDate } from './file-dates.ts';
import type { FileInspection } from './file-inspect.ts';
import type { DroppedFile } from './scene.ts';

/** Files that make one date of a time series, and that date when known. */
export interface DateGroup {
  /** ISO date given by the user, or the day the files state; absent when nothing says. */
  date?: string;
  /** Whether `date` was given by the user (passed on as the scene's date) or stated by the files. */
  given: boolean;
  files: DroppedFile[];
}

export interface InspectedFile {
  file: DroppedFile;
  inspection: FileInspection;
}

/**
 * Dropped files as dates. With `dates` (one per file, the CLI's --dates, the dialog's
 * per-file dates) files of the same date form one scene; without, each file's own date
 * (metadata or name) groups them, and undated files join the only date there is. Groups come
 * oldest first. Nothing is guessed: undated files among several dates are an error.
 */
export function groupFilesByDate(files: readonly InspectedFile[], dates?: readonly string[]): DateGroup[] {
  const groups = new Map<string, DateGroup>();
  const add = (key: string, f: InspectedFile, date: string | undefined, given: boolean) => {
    const group = groups.get(key) ?? { ...(date ? { date } : {}), given, files: [] };
    group.files.push(f.file);
    groups.set(key, group);
  };
  if (dates) {
    if (dates.length !== files.length)
      throw new AppError(
        'bad-input',
        `${dates.length} date(s) for ${files.length} file(s): give one date per file, in the order of the files.`,
      );
    files.forEach((f, i) => {
      const iso = parseDate(dates[i] ?? '');
      if (!iso) throw new AppError('bad-input', `"${dates[i]}" is not a date; give dates as YYYY-MM-DD.`);
      add(iso.slice(0, 10), f, iso, true);
    });
  } else {
    const days = new Set(
      files.flatMap((f) => (f.inspection.date ? [f.inspection.date.iso.slice(0, 10)] : [])),
    );
    const undated = files.filter((f) => !f.inspection.date);
    if (days.size > 1 && undated.length)
      throw new AppError(
        'bad-input',
        `${undated.map((f) => f.file.name).join(', ')} ${undated.length === 1 ? 'carries' : 'carry'} no date while the other files carry ${days.size} dates: give one date per file.`,
      );
    const [only] = days;
    for (const f of files) add(f.inspection.date?.iso.slice(0, 10) ?? only ?? '', f, undefined, false);
    for (const [day, group] of groups) if (day) group.date = day;
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}

/**
 * The dates of dropped files that each carry one (the dialog's "several dates"): files of one
 * date together, oldest first. Empty unless every file has a date.
 */
export function givenDateGroups(files: readonly DroppedFile[]): DateGroup[] {
  if (files.length === 0 || files.some((f) => !f.date)) return [];
  return groupFilesByDate(
    files.map((file) => ({
      file,
      inspection: { name: file.name, samples: 1, bands: [], bandsFrom: 'nothing' },
    })),
    files.map((f) => f.date!),
  );
}
