import type { EncoderSpec, ModelIdentity } from './encoder-spec.ts';
import { familyOf } from './registry.ts';

export type { ModelIdentity };

/**
 * The model an encoder spec will run, known before the encoder is opened (so a cache hit
 * costs no model download), as its family states it: the spectral graph's ONNX bytes are
 * generated and hashed; a manifest model's variant is the one the encoder will choose on
 * this device, named by the SHA-256 its manifest pins. The encoder worker asks it when it
 * looks the cache up (EncoderHost.identify), so the choice is made where the model runs.
 */
export function modelIdentity(spec: EncoderSpec): Promise<ModelIdentity> {
  return familyOf(spec).identify(spec);
}
