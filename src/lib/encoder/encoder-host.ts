import type { EncoderInfo, EncoderSpec, ModelIdentity } from './encoder-spec.ts';
import type { FamilySession, OrtRuntime } from './family.ts';
import type { EncodedBatch } from './manifest-runner.ts';
import type { PatchTile } from './mosaiks-tiles.ts';
import { familyOf } from './registry.ts';

/**
 * The encoder worker's state, free of the worker: one open session at a time, opened by the
 * spec's family on the injected runtime (onnxruntime-web in the worker, onnxruntime-node in
 * tests). Whoever creates it calls release().
 */
export class EncoderHost {
  private active: { session: FamilySession; name: string } | undefined;

  constructor(private readonly runtime: OrtRuntime) {}

  /** The exact model `spec` would run on this device (for cache keys), without opening it. */
  identify(spec: EncoderSpec): Promise<ModelIdentity> {
    return familyOf(spec).identify(spec);
  }

  /** Builds or downloads the model and opens a session, releasing any previous one. */
  async init(spec: EncoderSpec): Promise<EncoderInfo> {
    await this.release();
    const opened = await familyOf(spec).open(spec, this.runtime);
    this.active = { session: opened.session, name: opened.info.name };
    return opened.info;
  }

  async encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<EncodedBatch> {
    const current = this.active;
    if (!current) throw new Error('The encoder is not initialised.');
    if (!current.session.encode) throw new Error(`${current.name} encodes tiles, not pixels.`);
    return current.session.encode(pixels, count, indices);
  }

  async encodeTile(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile> {
    const current = this.active;
    if (!current) throw new Error('The encoder is not initialised.');
    if (!current.session.encodeTile) throw new Error(`${current.name} encodes pixels, not tiles.`);
    return current.session.encodeTile(image, bands, height, width);
  }

  async release(): Promise<void> {
    const old = this.active;
    this.active = undefined;
    await old?.session.release();
  }
}
