/**
 * GDAL's own TIFF tags: GDAL_METADATA (42112), an XML list of dataset and band metadata items,
 * and the TIFF ColorMap (320) GDAL reads as a band's colour table.
 */

/** What a GeoTIFF reader (GDAL, QGIS) should know about one band. */
export interface CogBandInfo {
  /** Band description (GDAL GetDescription(), QGIS band name). */
  description?: string;
  /** Physical value = stored value * scale + offset (GDAL GetScale()/GetOffset()). */
  scale?: number;
  offset?: number;
  /** Further band-level metadata items. */
  metadata?: Readonly<Record<string, string>>;
}

/** An [r, g, b] byte triple per class value, index = stored value. */
export type Palette = readonly (readonly [number, number, number])[];

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One item. GDAL escapes a value for XML and then its XML writer escapes the text again, and
 * on reading unescapes twice, so `a & b` is stored as `a &amp;amp; b`: a value escaped only
 * once would lose everything after its first `&` or `<` in GDAL. Plain text is unaffected.
 */
function item(name: string, value: string, sample?: number, role?: string): string {
  const sampleAttr = sample === undefined ? '' : ` sample="${sample}"`;
  const roleAttr = role === undefined ? '' : ` role="${role}"`;
  return `  <Item name="${escapeXml(name)}"${sampleAttr}${roleAttr}>${escapeXml(escapeXml(value))}</Item>`;
}

/**
 * The GDAL_METADATA XML as GDAL itself writes it: dataset items without `sample`, band items
 * with the zero-based `sample`, and the band description, scale and offset as items with the
 * roles GDAL maps back to GetDescription(), GetScale() and GetOffset(). Undefined when there
 * is nothing to say, so files without metadata carry no empty tag.
 */
export function gdalMetadataXml(
  dataset: Readonly<Record<string, string>> | undefined,
  bands: readonly (CogBandInfo | undefined)[],
): string | undefined {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(dataset ?? {})) lines.push(item(name, value));
  bands.forEach((band, sample) => {
    if (!band) return;
    for (const [name, value] of Object.entries(band.metadata ?? {})) lines.push(item(name, value, sample));
    if (band.description !== undefined) {
      lines.push(item('DESCRIPTION', band.description, sample, 'description'));
    }
    if (band.offset !== undefined) lines.push(item('OFFSET', String(band.offset), sample, 'offset'));
    if (band.scale !== undefined) lines.push(item('SCALE', String(band.scale), sample, 'scale'));
  });
  return lines.length === 0 ? undefined : `<GDALMetadata>\n${lines.join('\n')}\n</GDALMetadata>`;
}

/**
 * TIFF ColorMap values for an 8-bit palette image: 256 reds, then 256 greens, then 256 blues,
 * each scaled from a byte to 16 bits (x * 257, so 255 -> 65535). Values without a palette
 * entry are black.
 */
export function colorMapValues(palette: Palette): number[] {
  const out = new Array<number>(3 * 256).fill(0);
  palette.forEach((rgb, i) => {
    for (let c = 0; c < 3; c++) out[c * 256 + i] = (rgb[c] ?? 0) * 257;
  });
  return out;
}
