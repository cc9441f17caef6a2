/** core/v1 ConfigMap: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { invalidValue, tooLong } from '../../../machinery/field-errors.js';
import { configMapPrinter } from '../../printers/printers.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { core, validateKeys, dataSize, immutableData, MAX_DATA_SIZE } from './core-helpers.js';
import { ConfigMapSchema, type ConfigMap } from './types.js';

export const configMapDefinition: ResourceDefinition<ConfigMap> = {
  info: core({ kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] }),
  schema: ConfigMapSchema,
  protobufMessage: 'k8s.io.api.core.v1.ConfigMap',
  printer: configMapPrinter,
  applyDefaults() {},
  validate: (cm) => [
    ...validateObjectMeta(cm.metadata, true), ...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData'),
    ...Object.keys(cm.data ?? {}).filter((k) => k in (cm.binaryData ?? {})).map((k) => invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData')),
    ...(dataSize(cm.data) + dataSize(cm.binaryData, true) > MAX_DATA_SIZE ? [tooLong('[]', MAX_DATA_SIZE)] : []),
  ],
  validateUpdate(cm, old) {
    const errs = [...validateObjectMetaUpdate(cm.metadata, old.metadata), ...configMapDefinition.validate(cm)];
    return [...errs, ...immutableData(cm, old, ['data', 'binaryData'])];
  },
};
