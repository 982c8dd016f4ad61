import { AppError } from '../errors.ts';
import type { EncoderSpec, ModelOption } from './encoder-spec.ts';
import { bandsFamily } from './families/bands/index.ts';
import { galileoFamily } from './families/galileo/index.ts';
import { mosaiksFamily } from './families/mosaiks/index.ts';
import { prestoFamily } from './families/presto/index.ts';
import { spectralFamily } from './families/spectral/index.ts';
import type { EncoderFamily } from './family.ts';
import type { ModelManifest } from './model-manifest.ts';

/**
 * Every encoder family the app knows, in the picker's order. The rest of the code asks here
 * which family an option, a spec or a manifest belongs to; only a family's own folder names
 * its id. Adding an encoder: a folder families/<id>/ exporting one EncoderFamily, listed here.
 */
const FAMILIES: EncoderFamily[] = [spectralFamily, mosaiksFamily, prestoFamily, galileoFamily, bandsFamily];

/** A manifest naming no family and recognised by none of the others is a user's band-input model. */
const FALLBACK_MANIFEST_FAMILY: EncoderFamily = bandsFamily;

/** Every family, in order. */
export function encoderFamilies(): readonly EncoderFamily[] {
  return FAMILIES;
}

/**
 * Adds a family at run time (an encoder shipped outside the app's own list, a test's); returns
 * what removes it again. Ids are unique.
 */
export function registerFamily(family: EncoderFamily): () => void {
  if (FAMILIES.some((f) => f.id === family.id))
    throw new AppError('internal', `An encoder family "${family.id}" is already registered.`);
  FAMILIES.push(family);
  return () => {
    const at = FAMILIES.indexOf(family);
    if (at >= 0) FAMILIES.splice(at, 1);
  };
}

export function familyById(id: string): EncoderFamily {
  const found = FAMILIES.find((f) => f.id === id);
  if (!found)
    throw new AppError(
      'model',
      `The app has no encoder family "${id}" (it has ${FAMILIES.map((f) => f.id).join(', ')}).`,
    );
  return found;
}

/** The family that plans, identifies and opens a model option or an encoder spec. */
export function familyOf(item: ModelOption | EncoderSpec): EncoderFamily {
  return familyById(item.family);
}

/** The models offered before any manifest is read: one per generated family (spectral first). */
export function generatedOptions(): ModelOption[] {
  return FAMILIES.flatMap((f) => (f.option ? [f.option] : []));
}

/**
 * The family of a validated manifest: the one it names (`family`), else the first whose
 * inputs it has, else a user's band-input model. The error names the field.
 */
export function familyOfManifest(manifest: ModelManifest, source: string): EncoderFamily {
  const withHooks = FAMILIES.filter((f) => f.manifest);
  if (manifest.family !== undefined) {
    const named = withHooks.find((f) => f.id === manifest.family);
    if (!named)
      throw new AppError(
        'model',
        `${source} is invalid: family: the app runs manifest models of the families ${withHooks.map((f) => f.id).join(', ')}, not "${manifest.family}".`,
      );
    return named;
  }
  return (
    withHooks.find((f) => f !== FALLBACK_MANIFEST_FAMILY && f.manifest?.recognises(manifest)) ??
    FALLBACK_MANIFEST_FAMILY
  );
}
