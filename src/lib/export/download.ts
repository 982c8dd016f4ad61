/** Browser-only: saves bytes as a file through a temporary link. */

// Some browsers start reading the object URL after click() returns; revoking at once can
// cancel the download (FileSaver.js waits 40 s for the same reason).
const REVOKE_AFTER_MS = 40_000;

/** A Blob of the bytes, without copying when they live in an ordinary ArrayBuffer. */
function toBlob(data: Blob | Uint8Array | string, mimeType: string): Blob {
  if (data instanceof Blob) return data;
  if (typeof data === 'string') return new Blob([data], { type: mimeType });
  const view =
    data.buffer instanceof ArrayBuffer
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : data.slice();
  return new Blob([view], { type: mimeType });
}

/** MIME types of the export formats, by extension. */
export const EXPORT_MIME_TYPES: Readonly<Record<string, string>> = {
  tif: 'image/tiff',
  geojson: 'application/geo+json',
  csv: 'text/csv',
  png: 'image/png',
};

/**
 * Offers `data` to the user as a download named `fileName` (an anchor with the download
 * attribute and an object URL, revoked once the browser has had time to read it).
 */
export function downloadFile(data: Blob | Uint8Array | string, fileName: string, mimeType?: string): void {
  const extension = fileName.split('.').pop() ?? '';
  const blob = toBlob(data, mimeType ?? EXPORT_MIME_TYPES[extension] ?? 'application/octet-stream');
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
