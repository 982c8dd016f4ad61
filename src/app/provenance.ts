import type { EncoderInfo } from '../lib/encoder/index.ts';
import type { ExportProvenance } from '../lib/export/index.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import type { ViewState } from '../lib/state/index.ts';

/** What exported files say about where they came from (export-metadata.ts writes it). */
export function provenanceOf(
  model: EncoderInfo | undefined,
  grid: GridSpec | undefined,
  scene: { id: string; title: string; datetime: string } | undefined,
  source: ViewState['source'],
  files: ViewState['files'],
): ExportProvenance {
  return {
    model: model && { id: model.model, name: model.name, sha256: model.sha256 },
    grid,
    scene: scene && { id: scene.id, title: scene.title, datetime: scene.datetime },
    source:
      source?.kind === 'pack'
        ? `pack ${source.name}`
        : source?.kind === 'stac'
          ? `STAC ${source.endpoint}`
          : files && `files ${files.names.join(', ')}`,
  };
}
