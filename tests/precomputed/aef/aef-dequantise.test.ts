import { describe, expect, it } from 'vitest';
import { FEATURE_VECTOR, fieldAt, quantise } from '../../../scripts/aef-fixture/aef-field.ts';
import { mulberry32, randomNormal } from '../../../src/lib/math/index.ts';
import { epsgOf, fileUrl, normaliseBase } from '../../../src/lib/precomputed/aef/aef-layout.ts';
import { AEF_DIM, AEF_NODATA, dequantise } from '../../../src/lib/precomputed/aef/index.ts';

/** Unit vectors like the product's: AlphaEarth embeddings are unit length in 64 dimensions. */
function unitVectors(n: number): Float64Array[] {
  const random = mulberry32(3);
  return Array.from({ length: n }, () => {
    const v = Float64Array.from({ length: AEF_DIM }, () => randomNormal(random));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

function norms(vectors: Float64Array[], decode: (q: number) => number): number[] {
  return vectors.map((v) => Math.hypot(...Array.from(v, (x) => decode(quantise(x)))));
}

describe('AlphaEarth de-quantisation', () => {
  it("is Google's sign(v) * (v / 127.5)^2, with -128 as nodata", () => {
    expect(dequantise(0)).toBe(0);
    expect(dequantise(127)).toBeCloseTo((127 / 127.5) ** 2, 6);
    expect(dequantise(-64)).toBeCloseTo(-((64 / 127.5) ** 2), 6);
    expect(dequantise(90)).toBeCloseTo(0.4983, 4);
    expect(dequantise(AEF_NODATA)).toBeNaN();
  });

  it('gives unit-length vectors on data shaped like the product; a linear v/127 does not', () => {
    // Random unit vectors and the fixture field (land-cover classes + texture), quantised as the product is.
    const field: Float64Array[] = [];
    const spec = { features: [], change: { box: [0, 0, 0, 0] as [number, number, number, number] } };
    for (let i = 0; i < 200; i++) {
      const v = new Float64Array(AEF_DIM);
      fieldAt(spec, 11.9 + i * 0.0007, 46.5 + i * 0.0003, 2021, v);
      field.push(v);
    }
    const vectors = [...unitVectors(500), ...field, FEATURE_VECTOR];
    const quadratic = norms(vectors, dequantise);
    const linear = norms(vectors, (q) => q / 127);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Quantisation error only: within 1.5% of 1 everywhere.
    expect(Math.max(...quadratic.map((n) => Math.abs(n - 1)))).toBeLessThan(0.015);
    // Linear decoding returns the square roots: norms are the root of each vector's L1 norm,
    // 1.4 (a vector on 4 axes) to 2.6 (spread over all 64), so never unit length.
    console.info(
      `AEF norms: quadratic ${Math.min(...quadratic).toFixed(4)}..${Math.max(...quadratic).toFixed(4)}, linear ${Math.min(...linear).toFixed(3)}..${Math.max(...linear).toFixed(3)} (mean ${mean(linear).toFixed(3)})`,
    );
    expect(mean(linear)).toBeGreaterThan(2);
    expect(Math.min(...linear)).toBeGreaterThan(1.3);
  });
});

describe('AlphaEarth file addresses', () => {
  it("maps the index's bucket URLs onto the HTTPS base", () => {
    const base = normaliseBase('https://data.source.coop/tge-labs/aef/v1/annual/');
    expect(
      fileUrl(
        'gs://alphaearth_foundations/satellite_embedding/v1/annual/2022/33N/xabc-0000008192-0000000000.tiff',
        base,
      ),
    ).toBe('https://data.source.coop/tge-labs/aef/v1/annual/2022/33N/xabc-0000008192-0000000000.tiff');
    expect(fileUrl('2022/10N/x.tiff', base)).toBe(`${base}/2022/10N/x.tiff`);
    expect(() => fileUrl('s3://elsewhere/x.tiff', base)).toThrow(/outside the product/);
  });

  it('reads the CRS, else the zone, and refuses bad base URLs', () => {
    expect(epsgOf('EPSG:32610', '10N')).toBe(32610);
    expect(epsgOf(undefined, '33S')).toBe(32733);
    expect(() => epsgOf('', '')).toThrow(/no usable CRS/);
    expect(() => normaliseBase('ftp://x')).toThrow(/http/);
    expect(() => normaliseBase('not a url')).toThrow(/not a valid/);
  });
});
