/**
 * The admission chain (upstream admission.chainAdmissionHandler): every plugin's
 * `admit` in order, then — after the strategy has validated the object — every
 * plugin's `validate` in order. The first refusal ends the request.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

export class AdmissionChain {
  constructor(readonly plugins: readonly AdmissionPlugin[]) {}

  /** Runs the mutating step of every plugin, in order. Throws the first refusal. */
  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(attrs);
  }

  /** Runs the validating step of every plugin, in order. Throws the first refusal. */
  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(attrs);
  }
}

/** A chain that admits everything (registries in tests, registry-internal updates). */
export const emptyAdmissionChain = (): AdmissionChain => new AdmissionChain([]);
