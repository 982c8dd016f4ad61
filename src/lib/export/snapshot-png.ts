/**
 * Browser-only: a PNG of the map with a footer holding the legend, a scale bar and the
 * Copernicus attribution, drawn with Canvas2D on an OffscreenCanvas.
 */
import { AppError } from '../errors.ts';
import { VIRIDIS_LUT } from '../render/index.ts';
import { metresPerPixel, scaleBar } from './scale-bar.ts';

export type SnapshotLegend =
  | {
      kind: 'colour-bar';
      title: string;
      min: number;
      max: number;
      /** 256 x RGB bytes; default viridis, as the heat map uses. */
      lut?: Uint8Array;
    }
  | {
      kind: 'swatches';
      title: string;
      /** Squares for areas (clusters, classes); dots for the map's point markers. */
      shape?: 'square' | 'dot';
      items: readonly { name: string; colour: readonly [number, number, number] }[];
    };

export interface SnapshotInput {
  /** The rendered map (deck.gl's canvas, read right after a redraw, or an ImageBitmap of it). */
  map: HTMLCanvasElement | OffscreenCanvas | ImageBitmap;
  legend?: SnapshotLegend;
  /** Several legends, drawn one under the other in this order (the map's layers, top first). */
  legends?: readonly SnapshotLegend[];
  /** The map view's centre latitude and zoom, for the scale bar. */
  view: { latitude: number; zoom: number };
  /** Map canvas pixels per CSS pixel (devicePixelRatio the map used); default 1. */
  pixelRatio?: number;
  /** Acquisition year of the imagery, for the attribution. */
  year: number;
}

type Ctx = OffscreenCanvasRenderingContext2D;

const SWATCH_COLUMN_CSS = 150;
const ROW_CSS = 18;
/** Space between two legends. */
const LEGEND_GAP_CSS = 6;

function legendHeightCss(legend: SnapshotLegend | undefined, widthCss: number): number {
  if (!legend) return 0;
  if (legend.kind === 'colour-bar') return ROW_CSS + 14 + 16;
  const columns = Math.max(1, Math.floor((widthCss * 0.65) / SWATCH_COLUMN_CSS));
  return ROW_CSS + Math.ceil(legend.items.length / columns) * ROW_CSS;
}

function drawLegend(ctx: Ctx, legend: SnapshotLegend, x: number, y: number, widthCss: number): void {
  ctx.fillStyle = '#222';
  ctx.font = 'bold 12px sans-serif';
  ctx.fillText(legend.title, x, y + 12);
  const top = y + ROW_CSS;
  if (legend.kind === 'colour-bar') {
    const lut = legend.lut ?? VIRIDIS_LUT;
    const barWidth = 200;
    for (let i = 0; i < barWidth; i++) {
      const o = Math.round((i / (barWidth - 1)) * 255) * 3;
      ctx.fillStyle = `rgb(${lut[o] ?? 0}, ${lut[o + 1] ?? 0}, ${lut[o + 2] ?? 0})`;
      ctx.fillRect(x + i, top, 1, 12);
    }
    ctx.fillStyle = '#222';
    ctx.font = '11px sans-serif';
    ctx.fillText(legend.min.toFixed(2), x, top + 26);
    ctx.textAlign = 'right';
    ctx.fillText(legend.max.toFixed(2), x + barWidth, top + 26);
    ctx.textAlign = 'left';
    return;
  }
  const columns = Math.max(1, Math.floor((widthCss * 0.65) / SWATCH_COLUMN_CSS));
  ctx.font = '11px sans-serif';
  legend.items.forEach((item, i) => {
    const cx = x + (i % columns) * SWATCH_COLUMN_CSS;
    const cy = top + Math.floor(i / columns) * ROW_CSS;
    ctx.fillStyle = `rgb(${item.colour[0]}, ${item.colour[1]}, ${item.colour[2]})`;
    ctx.strokeStyle = '#444';
    if (legend.shape === 'dot') {
      ctx.beginPath();
      ctx.arc(cx + 6, cy + 6, 5.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    } else {
      ctx.fillRect(cx, cy, 12, 12);
      ctx.strokeRect(cx + 0.5, cy + 0.5, 11, 11);
    }
    ctx.fillStyle = '#222';
    ctx.fillText(item.name, cx + 17, cy + 10, SWATCH_COLUMN_CSS - 22);
  });
}

function drawScaleBar(ctx: Ctx, input: SnapshotInput, right: number, y: number): void {
  const bar = scaleBar(metresPerPixel(input.view.latitude, input.view.zoom), 120);
  const left = right - bar.pixels;
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(left, y + 14);
  ctx.lineTo(left, y + 20);
  ctx.lineTo(right, y + 20);
  ctx.lineTo(right, y + 14);
  ctx.stroke();
  ctx.fillStyle = '#222';
  ctx.font = '11px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(bar.label, (left + right) / 2, y + 11);
  ctx.textAlign = 'left';
}

/** The composed PNG. Throws AppError('unsupported') where OffscreenCanvas is missing. */
export async function composeSnapshot(input: SnapshotInput): Promise<Blob> {
  if (typeof OffscreenCanvas === 'undefined') {
    throw new AppError('unsupported', 'This browser cannot make snapshots (no OffscreenCanvas).');
  }
  const ratio = input.pixelRatio ?? 1;
  if (!(ratio > 0) || !Number.isFinite(input.year)) {
    throw new AppError('bad-input', 'A snapshot needs a positive pixel ratio and the imagery year.');
  }
  const { width, height } = input.map;
  if (width < 1 || height < 1) throw new AppError('bad-input', 'The map has not been drawn yet.');
  // The footer is laid out in CSS pixels and scaled, so text has the size it has on screen.
  const widthCss = width / ratio;
  const legends = input.legends ?? (input.legend ? [input.legend] : []);
  const heights = legends.map((l) => legendHeightCss(l, widthCss) + LEGEND_GAP_CSS);
  const legendCss = heights.reduce((a, b) => a + b, 0);
  const footerCss = 8 + Math.max(legendCss, 24) + 6 + 14 + 6;
  const canvas = new OffscreenCanvas(width, height + Math.ceil(footerCss * ratio));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new AppError('unsupported', 'This browser cannot draw snapshots (no 2D canvas).');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(input.map, 0, 0);
  ctx.scale(ratio, ratio);
  const top = height / ratio + 8;
  let y = top;
  legends.forEach((legend, i) => {
    drawLegend(ctx, legend, 10, y, widthCss);
    y += heights[i] ?? 0;
  });
  drawScaleBar(ctx, input, widthCss - 12, top);
  ctx.fillStyle = '#444';
  ctx.font = '11px sans-serif';
  ctx.fillText(
    `Contains modified Copernicus Sentinel data ${input.year}`,
    10,
    top + Math.max(legendCss, 24) + 6 + 11,
  );
  return canvas.convertToBlob({ type: 'image/png' });
}
