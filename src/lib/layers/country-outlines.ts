import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { OutlineSets } from './outline-culling.ts';

type Countries = Topology<{ countries: GeometryCollection }>;

const toFeatures = (topology: Countries): FeatureCollection => feature(topology, topology.objects.countries);

/** Natural Earth country outlines (world-atlas) at 1:110m and 1:50m, loaded on demand as their own chunks. */
export async function loadCountryOutlines(): Promise<OutlineSets> {
  const [coarse, fine] = await Promise.all([
    import('world-atlas/countries-110m.json'),
    import('world-atlas/countries-50m.json'),
  ]);
  return {
    coarse: toFeatures(coarse.default as unknown as Countries),
    fine: toFeatures(fine.default as unknown as Countries),
  };
}
