import type { DefaultProps, UpdateParameters } from '@deck.gl/core';
import { BitmapLayer, type BitmapLayerProps } from '@deck.gl/layers';
import type { Texture } from '@luma.gl/core';
import type { ShaderModule } from '@luma.gl/shadertools';
import { VIRIDIS_LUT } from '../render/index.ts';

/** A per-pixel score (similarity, change distance) on the GPU: one float per texel. */
export interface ScoreRaster {
  /** Row-major, width * height values; NaN (or `nodata`) where there is no score. */
  values: Float32Array;
  width: number;
  height: number;
}

interface ScoreProps {
  scores: ScoreRaster | null;
  /** Scores below it are transparent: only the places that match show. */
  threshold: number;
  /** Score at the dark end of the colormap. */
  low: number;
  /** Score at the bright end; when high <= low every shown pixel gets the bright end. */
  high: number;
  /** Alpha of coloured pixels, 0..1 (220/255 lets the basemap show through a little). */
  alpha: number;
  /** A value that means "no score" besides NaN. */
  nodata: number;
  /** 256 RGB entries, 768 bytes (viridis by default). */
  colormap: Uint8Array;
  /**
   * Called after each upload of a new score texture, with its texel count: how a test or a
   * benchmark sees that a threshold move uploads nothing (only `scores` changing uploads).
   */
  onScoresUploaded: ((texels: number) => void) | null;
}

export type ScoreLayerProps = Omit<BitmapLayerProps, 'image'> & Partial<ScoreProps>;

type ScoreUniforms = { threshold: number; low: number; high: number; alpha: number; nodata: number };

/**
 * The colouring, as a shader module: threshold, range, alpha and nodata are uniforms and the
 * colormap a 256 x 1 texture, so a threshold change redraws without touching a pixel. The
 * maths is similarityToRgba's (src/lib/render/similarity-image.ts): entry
 * round((s - low) * 255 / (high - low)) clamped to 0..255, transparent below the threshold.
 */
const scoreModule = {
  name: 'score',
  fs: /* glsl */ `\
layout(std140) uniform scoreUniforms {
  float threshold;
  float low;
  float high;
  float alpha;
  float nodata;
} score;

uniform sampler2D scoreColormap;

vec4 score_colour(float s) {
  // NaN fails every comparison; isnan is asked too in case a driver folds that away.
  if (isnan(s) || s == score.nodata || !(s >= score.threshold)) return vec4(0.0);
  float span = score.high - score.low;
  float t = span > 0.0 ? (s - score.low) * (255.0 / span) : 255.0;
  int i = int(clamp(floor(t + 0.5), 0.0, 255.0));
  return vec4(texelFetch(scoreColormap, ivec2(i, 0), 0).rgb, score.alpha);
}
`,
  uniformTypes: { threshold: 'f32', low: 'f32', high: 'f32', alpha: 'f32', nodata: 'f32' },
} as const satisfies ShaderModule<ScoreUniforms & { scoreColormap: Texture }>;

/** The line of BitmapLayer's fragment shader that samples its image; ours colours a score. */
const SAMPLE_LINE = 'vec4 bitmapColor = texture(bitmapTexture, uv);';
const SCORE_LINE = 'vec4 bitmapColor = score_colour(texture(bitmapTexture, uv).r);';

const defaultProps: DefaultProps<ScoreLayerProps> = {
  scores: { type: 'object', value: null, compare: false },
  threshold: { type: 'number', value: 0 },
  low: { type: 'number', value: 0 },
  high: { type: 'number', value: 1 },
  alpha: { type: 'number', value: 220 / 255 },
  nodata: { type: 'number', value: -3.0e38 },
  colormap: { type: 'object', value: VIRIDIS_LUT, compare: false },
  onScoresUploaded: { type: 'function', value: null, optional: true },
};

function rgbaOf(lut: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    rgba[i * 4] = lut[i * 3] ?? 0;
    rgba[i * 4 + 1] = lut[i * 3 + 1] ?? 0;
    rgba[i * 4 + 2] = lut[i * 3 + 2] ?? 0;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/**
 * A BitmapLayer that draws a float raster (an `r32float` texture, sampled nearest) through a
 * colormap with a threshold, as developmentseed/deck.gl-raster's shader modules do. The
 * scores are uploaded once per new raster; threshold, range and opacity are uniforms, so
 * dragging the threshold slider costs one redraw and no CPU pass over the pixels.
 */
export class ScoreLayer extends BitmapLayer<Partial<ScoreProps>> {
  static override layerName = 'ScoreLayer';
  static override defaultProps = defaultProps;

  declare state: BitmapLayer['state'] & { scoreTexture?: Texture; colormapTexture?: Texture };

  override getShaders() {
    const shaders = super.getShaders() as { fs: string; modules: unknown[] };
    if (!shaders.fs.includes(SAMPLE_LINE))
      throw new Error('ScoreLayer: BitmapLayer fragment shader changed; update SAMPLE_LINE.');
    return {
      ...shaders,
      fs: shaders.fs.replace(SAMPLE_LINE, SCORE_LINE),
      modules: [...shaders.modules, scoreModule],
    };
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    const { props, oldProps } = params;
    const device = this.context.device;
    if (props.scores !== oldProps.scores) {
      const raster = props.scores;
      const old = this.state.scoreTexture;
      let texture: Texture | undefined;
      if (raster) {
        if (raster.values.length !== raster.width * raster.height)
          throw new Error(
            `ScoreLayer: ${raster.values.length} scores for a ${raster.width} x ${raster.height} raster.`,
          );
        // New scores of the same size go into the texture already there (a new query on the
        // same grid): no allocation, and on a software GPU none of a first-use's costs.
        texture =
          old && old.width === raster.width && old.height === raster.height
            ? old
            : device.createTexture({
                format: 'r32float',
                width: raster.width,
                height: raster.height,
                mipLevels: 1,
                // Float textures are not filterable in WebGL2 without an extension: nearest, as
                // the grid's cells are meant to show anyway.
                sampler: {
                  minFilter: 'nearest',
                  magFilter: 'nearest',
                  addressModeU: 'clamp-to-edge',
                  addressModeV: 'clamp-to-edge',
                },
              });
        texture.writeData(raster.values);
        props.onScoresUploaded?.(raster.values.length);
      }
      if (old && old !== texture) old.destroy();
      this.setState({ scoreTexture: texture });
    }
    if (props.colormap !== oldProps.colormap || !this.state.colormapTexture) {
      this.state.colormapTexture?.destroy();
      const colormap = device.createTexture({
        format: 'rgba8unorm',
        width: 256,
        height: 1,
        mipLevels: 1,
        sampler: { minFilter: 'nearest', magFilter: 'nearest' },
      });
      colormap.writeData(rgbaOf(props.colormap ?? VIRIDIS_LUT));
      this.setState({ colormapTexture: colormap });
    }
  }

  override draw(): void {
    const { model, coordinateConversion, bounds, scoreTexture, colormapTexture } = this.state;
    if (!model || !scoreTexture || !colormapTexture) return;
    const { threshold, low, high, alpha, nodata } = this.props;
    model.shaderInputs.setProps({
      bitmap: {
        bitmapTexture: scoreTexture,
        bounds,
        coordinateConversion,
        desaturate: 0,
        tintColor: [1, 1, 1],
        transparentColor: [0, 0, 0, 0],
      },
      score: { threshold, low, high, alpha, nodata, scoreColormap: colormapTexture },
    });
    model.draw(this.context.renderPass);
  }

  override finalizeState(context: Parameters<BitmapLayer['finalizeState']>[0]): void {
    super.finalizeState(context);
    this.state.scoreTexture?.destroy();
    this.state.colormapTexture?.destroy();
  }
}
