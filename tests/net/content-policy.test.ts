import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, scriptNeedsEval } from '../../server/security-headers.ts';
import { policyAllowsConnect, refusedByPolicyMessage } from '../../src/lib/net/content-policy.ts';

const APP = 'http://192.168.1.10:8080/';

describe('policyAllowsConnect: the app server policy, read back as the browser applies it', () => {
  const policy = contentSecurityPolicy(['http://192.168.1.10:8090']);

  it('allows its own origin, Earth Search, AWS buckets and the allowed origins', () => {
    for (const url of [
      'http://192.168.1.10:8080/packs/x/B04.tif',
      'https://earth-search.aws.element84.com/v1/search',
      'https://sentinel-cogs.s3.us-west-2.amazonaws.com/a/B04.tif',
      'http://192.168.1.10:8090/search',
    ])
      expect(policyAllowsConnect(policy, url, APP), url).toBe(true);
  });

  it('refuses other origins: another port, another scheme, a look-alike host', () => {
    for (const url of [
      'http://192.168.1.10:9000/search',
      'http://earth-search.aws.element84.com/v1/search',
      'https://amazonaws.com.evil.example/x',
      'https://models.example/manifest.json',
    ])
      expect(policyAllowsConnect(policy, url, APP), url).toBe(false);
  });

  it('falls back to default-src, and allows everything without a policy', () => {
    expect(policyAllowsConnect("default-src 'self'", 'https://x.example/', APP)).toBe(false);
    expect(policyAllowsConnect("img-src 'self'", 'https://x.example/', APP)).toBe(true);
    expect(policyAllowsConnect('connect-src *', 'https://x.example/', APP)).toBe(true);
    expect(policyAllowsConnect('connect-src https:', 'https://x.example/', APP)).toBe(true);
    expect(policyAllowsConnect('connect-src https:', 'http://x.example/', APP)).toBe(false);
  });

  it('tells how to allow the refused origin', () => {
    const text = refusedByPolicyMessage('the STAC API', 'http://192.168.1.10:9000');
    expect(text).toContain('security policy');
    expect(text).toContain('ALLOW_ORIGINS=http://192.168.1.10:9000');
  });
});

describe('scriptNeedsEval: only the built precomputed worker may build functions (Blosc)', () => {
  it('allows eval for that worker script alone; the page and the other workers stay strict', () => {
    expect(scriptNeedsEval('/assets/precomputed.worker-PwOibZEf.js')).toBe(true);
    for (const path of ['/', '/index.html', '/assets/scene.worker-N-23AB8n.js', '/assets/index-CWl9MPmt.js'])
      expect(scriptNeedsEval(path), path).toBe(false);
    expect(contentSecurityPolicy([], { allowEval: true })).toContain(
      "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
    );
    expect(contentSecurityPolicy([])).not.toContain("'unsafe-eval'");
  });
});

describe('connect-src data:: WASM decoders loaded from data: URLs', () => {
  it("lets geotiff's Zstandard decoder fetch its data: URL (AlphaEarth tiles decode in the app)", () => {
    expect(contentSecurityPolicy([])).toMatch(/connect-src [^;]* data:/);
  });
});
