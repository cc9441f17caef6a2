/** CSIStorageCapacity (storage.k8s.io/v1): capacity of a storage class in a topology segment. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { csiStorageCapacityPrinter } from '../../printers/storage-printers.js';
import { invalidValue } from '../../../machinery/field-errors.js';
import { isDNS1123Subdomain } from '../../../machinery/validation.js';

/** storage.k8s.io/v1 CSIStorageCapacity as the code here reads it (the full shape is the wire contract's). */
export type CSIStorageCapacity = KubeObject & Record<string, any>;

export const cSIStorageCapacityDefinition = defineResource<CSIStorageCapacity>({
  group: 'storage.k8s.io', version: 'v1', kind: 'CSIStorageCapacity', plural: 'csistoragecapacities', namespaced: true,
  printer: csiStorageCapacityPrinter,
  validate: (c) => isDNS1123Subdomain(c.storageClassName ?? '').map((m) => invalidValue('storageClassName', c.storageClassName ?? '', m)),
});
