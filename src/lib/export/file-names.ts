/** Download file names such as clusters_k6_mosaiks-40m_S2B_32TQM_20220704_0_L2A_2022-07-04.tif. */
import { AppError } from '../errors.ts';

export interface ExportNameParts {
  /** What the file holds: 'clusters', 'similarity', 'places', ... */
  product: string;
  /** A detail of the product, e.g. 'k6' or 'ge0.85'. */
  qualifier?: string;
  /** The encoder and resolution of the embeddings behind it, e.g. 'presto-20m' (modelTag). */
  model?: string | undefined;
  sceneId?: string;
  /** ISO date or date-time of the scene; only the date (YYYY-MM-DD) is used. */
  datetime?: string;
  /** Without the dot: 'tif', 'geojson', 'csv', 'png'. */
  extension: string;
}

const MAX_PART = 80;

/**
 * One name part made safe on every file system: anything but letters, digits, '.', '-' and
 * '_' becomes '-', runs collapse, and leading/trailing separators or dots go (no hidden files,
 * no '..'). Long scene ids are cut so the whole name stays well under 255 bytes.
 */
export function sanitiseNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/[-_.]{2,}/g, (run) => run[0] ?? '-')
    .replace(/^[-_.]+|[-_.]+$/g, '')
    .slice(0, MAX_PART)
    .replace(/[-_.]+$/g, '');
}

export function exportFileName(parts: ExportNameParts): string {
  const extension = sanitiseNamePart(parts.extension).replace(/\./g, '');
  if (!extension) throw new AppError('bad-input', 'An export file name needs an extension.');
  const date = /^\d{4}-\d{2}-\d{2}/.exec(parts.datetime ?? '')?.[0];
  const pieces = [parts.product, parts.qualifier, parts.model, parts.sceneId, date]
    .map((p) => (p === undefined ? '' : sanitiseNamePart(p)))
    .filter((p) => p !== '');
  if (pieces.length === 0) throw new AppError('bad-input', 'An export file name needs a product name.');
  return `${pieces.join('_')}.${extension}`;
}
