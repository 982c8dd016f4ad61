/**
 * The `<file>.aux.xml` beside a paletted GeoTIFF, laid out as GDAL's PAM writer lays it out:
 * band 1's category names (GDAL's GetCategoryNames(); QGIS shows them in the layer's legend),
 * entry i naming raster value i; an empty name is an empty `<Category />`.
 */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function categoryAuxXml(names: readonly string[]): string {
  const categories = names.map((n) =>
    n === '' ? '      <Category />' : `      <Category>${escapeXml(n)}</Category>`,
  );
  return [
    '<PAMDataset>',
    '  <PAMRasterBand band="1">',
    '    <CategoryNames>',
    ...categories,
    '    </CategoryNames>',
    '  </PAMRasterBand>',
    '</PAMDataset>',
    '',
  ].join('\n');
}
