import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** Natural Earth 1:50m country outlines (world-atlas), loaded on demand as its own chunk. */
export async function loadCountryOutlines(): Promise<FeatureCollection> {
  const topology = (await import('world-atlas/countries-50m.json')).default as unknown as Topology<{
    countries: GeometryCollection;
  }>;
  return feature(topology, topology.objects.countries);
}
