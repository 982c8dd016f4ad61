import { Deck, type Layer, OrthographicView } from '@deck.gl/core';
import { BitmapLayer } from '@deck.gl/layers';
import type { Device, TextureProps } from '@luma.gl/core';
import { ScoreLayer, type ScoreRaster } from '../../../src/lib/layers/index.ts';
import { similarityToRgba } from '../../../src/lib/render/index.ts';
import type { ScoreDrawReply, ScoreDrawRequest } from './protocol.ts';

/** Canvas pixels per texel: texel centres are far from any edge, so sampling is unambiguous. */
const CELL = 10;

let deck: Deck<OrthographicView> | undefined;
let raster: ScoreRaster | undefined;
let floatTextures = 0;
/** Score uploads the layer reported (onScoresUploaded): a new texture or new data in one. */
let uploads = 0;
const countUpload = (): void => {
  uploads++;
};

function rendererName(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Counts the float textures the layer creates, to show a threshold change uploads none. */
function countFloatTextures(device: Device): void {
  const create = device.createTexture.bind(device);
  device.createTexture = (props: TextureProps) => {
    if (props.format === 'r32float') floatTextures++;
    return create(props);
  };
}

/** New layers are applied on deck.gl's next animation frame: resolves after that frame. */
async function drawLayers(d: Deck<OrthographicView>, layers: Layer[]): Promise<void> {
  await new Promise<void>((resolve) => {
    d.setProps({ layers, onAfterRender: () => resolve() });
  });
}

/**
 * Draws one raster with the ScoreLayer on a deck.gl canvas (cartesian, one texel = CELL x CELL
 * pixels) and reads each texel's centre back. A request with the same scores as the previous
 * one keeps the same ScoreRaster object, as the app does when only the threshold moves.
 */
export async function drawScores(request: ScoreDrawRequest): Promise<ScoreDrawReply> {
  const parent = document.getElementById('map');
  if (!(parent instanceof HTMLDivElement)) throw new Error('the test page has no #map');
  const { width, height } = request;
  const values = Float32Array.from(request.scores, (v) => (v === null ? Number.NaN : v));
  const same =
    raster &&
    raster.width === width &&
    raster.height === height &&
    raster.values.every((v, i) => Object.is(v, values[i]));
  if (!same) raster = { values, width, height };
  const bounds: [number, number, number, number] = [0, height, width, 0];
  const { threshold, high } = request;
  // Both layers stay in the list, one hidden, so the score layer lives across draws as in
  // the app (a removed layer would be finalised and its texture made again).
  const layers = [
    new ScoreLayer({
      id: 'scores',
      scores: raster ?? null,
      bounds,
      threshold,
      low: threshold,
      high,
      pickable: false,
      visible: request.path === 'score',
      onScoresUploaded: countUpload,
    }),
    new BitmapLayer({
      id: 'image',
      bounds,
      image: new ImageData(
        similarityToRgba(values, { threshold, min: threshold, max: high }) as Uint8ClampedArray<ArrayBuffer>,
        width,
        height,
      ),
      textureParameters: { minFilter: 'nearest', magFilter: 'nearest' },
      pickable: false,
      visible: request.path === 'image',
    }),
  ];
  if (!deck) {
    const created = new Deck<OrthographicView>({
      parent,
      width: width * CELL,
      height: height * CELL,
      views: new OrthographicView({ flipY: true }),
      initialViewState: { target: [width / 2, height / 2, 0], zoom: Math.log2(CELL) },
      deviceProps: { type: 'webgl', webgl: { preserveDrawingBuffer: true } },
      layers: [],
      onDeviceInitialized: countFloatTextures,
    });
    deck = created;
    await new Promise<void>((resolve) => created.setProps({ onLoad: () => resolve() }));
  }
  await drawLayers(deck, layers);
  const canvas = deck.getCanvas();
  const gl = canvas?.getContext('webgl2');
  if (!gl || !canvas) throw new Error('deck.gl drew on no WebGL2 canvas');
  const texels: number[][] = [];
  const pixel = new Uint8Array(4);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      // readPixels counts rows from the bottom; device pixels may differ from CSS pixels.
      const ratio = canvas.width / (width * CELL);
      const x = Math.floor((col + 0.5) * CELL * ratio);
      const y = canvas.height - 1 - Math.floor((row + 0.5) * CELL * ratio);
      gl.readPixels(x, y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      texels.push([...pixel]);
    }
  }
  return { texels, floatTextures, uploads, renderer: rendererName(gl) };
}
