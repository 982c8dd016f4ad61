import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAppForSuite, snapshot } from './page-helpers.ts';

const appUrl = inject('appUrl');
const artifacts = inject('artifactsDir');

/**
 * A STAC server that sends its headers and then stalls (issue 18, case 6) left the app at
 * "Searching … 0/1" for as long as the connection stayed open. The body is now read under an
 * idle timeout (30 s in the app): the search ends with a message that says what happened.
 */
describe.skipIf(!appUrl)('a STAC API that stalls after its headers', () => {
  let page: Page;
  let errors: string[];
  let server: Server;
  let endpoint = '';
  const open: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      // The app is on another origin: CORS, with the preflight of a JSON POST.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      open.push(res);
      res.writeHead(200, { 'Content-Type': 'application/geo+json' });
      res.write('{"type":"FeatureCollection","features":[');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  openAppForSuite(appUrl, (app) => ({ page, errors } = app));

  it('Find scenes ends with "stopped sending its answer", not an endless "Searching"', async () => {
    await page.getByLabel('Live Sentinel-2 (Earth Search)').check();
    await page.getByText('STAC API', { exact: true }).click();
    await page.getByTestId('stac-endpoint').fill(endpoint);
    await page.getByTestId('find-scenes').click();
    await expect
      .poll(
        async () => ((await page.getByTestId('error').count()) ? page.getByTestId('error').innerText() : ''),
        {
          timeout: 120_000,
          interval: 1000,
        },
      )
      .toMatch(/the STAC API stopped sending its answer for 30 s/);
    expect(open.length).toBeGreaterThan(0);
    await snapshot(page.locator('aside'), artifacts, '41-stac-stall');
  });

  it('logged no console errors other than the failed search', () => {
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
});
