/**
 * The protobuf wire contract k8ts knows: descriptors.json (the generated.proto files
 * kubectl 1.32 registers, scripts/gen-protobuf-descriptors.mjs) plus
 * extension-descriptors.json (apiextensions.k8s.io/v1 and apiregistration.k8s.io/v1,
 * compiled from the hand-written proto/*.proto by scripts/gen-extension-descriptors.mjs),
 * as one FileDescriptorSet in JSON form.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface DescriptorSetJson { file: Array<{ name: string; package: string; dependency?: string[]; messageType?: unknown[] } & Record<string, unknown>> }

let set: DescriptorSetJson | undefined;
/** Both descriptor files as one set (loaded once; do not mutate). */
export function descriptorSet(): DescriptorSetJson {
  if (!set) {
    const base = require('./descriptors.json') as DescriptorSetJson;
    const ext = require('./extension-descriptors.json') as DescriptorSetJson;
    set = { file: [...base.file, ...ext.file] };
  }
  return set;
}
