import { launchChromium } from '../tests/e2e/chromium.ts';
import type { AnalysisGpuReply, AnalysisGpuRequest } from './browser/analysis-gpu-protocol.ts';
import { startProjectVite } from './vite-server.ts';

const PAGE = '/bench/browser/analysis-gpu.html';
const MODULE = '/bench/browser/analysis-gpu-page.ts';

/**
 * Runs the analysis GPU worker in headless Chromium (WebGPU on SwiftShader here) from the
 * project's Vite dev server; used by the bench and by tests/e2e/analysis-gpu.e2e.ts.
 */
export async function runAnalysisGpuInChromium(
  request: AnalysisGpuRequest,
  timeoutMs = 240_000,
): Promise<AnalysisGpuReply> {
  const server = await startProjectVite();
  const browser = await launchChromium();
  try {
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!origin) throw new Error('Vite did not report its URL');
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.goto(`${origin}${PAGE}`);
    // A string, not a function: vitest rewrites import() inside functions for Node, which
    // breaks them in the page.
    const script = `import(${JSON.stringify(MODULE)}).then((m) => m.runAnalysisGpu(${JSON.stringify(request)}))`;
    return (await page.evaluate(script)) as AnalysisGpuReply;
  } finally {
    await browser.close();
    await server.close();
  }
}
