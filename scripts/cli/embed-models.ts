import type { EncoderFamily, ModelOption } from '../../src/lib/encoder/index.ts';
import { encoderFamilies } from '../../src/lib/encoder/index.ts';

/** A `--model` the CLI offers: a generated family's model, or a family's converted model. */
export interface CliModel {
  id: string;
  /** Its name in messages ("The Presto model is not built"). */
  label: string;
  family: EncoderFamily;
  /** Generated families: the model they offer. */
  option?: ModelOption;
  /** Converted models: the folder under public/models `npm run models` writes. */
  folder?: string;
}

/**
 * The CLI's models, from the encoder registry: per-pixel generated models (spectral), then the
 * converted models (Presto, Galileo-nano), then patch models (MOSAIKS), as `--help` lists them.
 */
export function cliModels(): CliModel[] {
  const families = encoderFamilies();
  const generated = (unit: EncoderFamily['unit']): CliModel[] =>
    families.flatMap((family) =>
      family.option && family.unit === unit
        ? [{ id: family.option.id, label: family.option.name, family, option: family.option }]
        : [],
    );
  const converted = families.flatMap((family) =>
    family.builtIn
      ? [{ id: family.builtIn.id, label: family.builtIn.label, family, folder: family.builtIn.id }]
      : [],
  );
  return [...generated('pixels'), ...converted, ...generated('patches')];
}

/** The CLI model `id` names (ids are checked by the option parser first). */
export function cliModel(id: string): CliModel {
  const found = cliModels().find((m) => m.id === id);
  if (!found) throw new Error(`Unknown model ${id}.`);
  return found;
}

/** "a, b or c" (or "and"): model lists in messages. */
export function listOf(ids: readonly string[], last: 'or' | 'and'): string {
  return ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} ${last} ${ids.at(-1)}`;
}
