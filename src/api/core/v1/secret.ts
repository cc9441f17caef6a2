/** core/v1 Secret: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { secretPrinter } from '../../printers/printers.js';
import { invalidValue, required, tooLong } from '../../../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { core, validateKeys, dataSize, immutableData, MAX_DATA_SIZE } from './core-helpers.js';
import { SecretSchema, type Secret } from './types.js';

/** Keys a Secret of a built-in type must hold (ValidateSecret). */
const SECRET_TYPE_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secretDefinition: ResourceDefinition<Secret> = {
  info: core({ kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true }),
  schema: SecretSchema,
  protobufMessage: 'k8s.io.api.core.v1.Secret',
  printer: secretPrinter,
  applyDefaults(secret) {
    secret.type ??= 'Opaque';
    if (secret.stringData) {
      secret.data ??= {};
      for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(v).toString('base64');
      delete secret.stringData;
    }
  },
  validate(secret) {
    const errs = [...validateObjectMeta(secret.metadata, true), ...validateKeys(secret.data, 'data')];
    if (dataSize(secret.data, true) > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
    for (const key of SECRET_TYPE_KEYS[secret.type ?? ''] ?? []) if (!(key in (secret.data ?? {}))) errs.push(required(`data[${key}]`));
    for (const [k, v] of Object.entries(secret.data ?? {})) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) errs.push(invalidValue(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    }
    return errs;
  },
  validateUpdate(secret, old) {
    const errs = [...validateObjectMetaUpdate(secret.metadata, old.metadata), ...secretDefinition.validate(secret)];
    if (old.type && secret.type !== old.type) errs.push(invalidValue('type', secret.type, 'field is immutable'));
    return [...errs, ...immutableData(secret, old, ['data'])];
  },
  fieldLabels: (s) => ({ type: s.type ?? '' }),
};
