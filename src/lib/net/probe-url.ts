/**
 * Whether a URL answers with a success status within `timeoutMs`. Never throws: used to
 * decide, once, whether online basemap tiles can be shown or the offline outlines must do.
 */
export async function probeUrl(url: string, timeoutMs = 4000): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, mode: 'cors' });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
