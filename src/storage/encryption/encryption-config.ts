/**
 * `--encryption-provider-config` (upstream apiserver.config.k8s.io/v1
 * EncryptionConfiguration, https://kubernetes.io/docs/tasks/administer-cluster/
 * encrypt-data/): for each listed resource (`secrets`, `configmaps`, `deployments.apps`,
 * `*.apps`, `*.*`), the first provider encrypts what is written, and every provider
 * (by the prefix of a stored value; identity for values without one) reads. Supported
 * providers: aescbc, aesgcm, identity; others (secretbox, kms) are refused.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ValueTransformer } from '../value-transformer.js';
import { aescbcProvider, aesgcmProvider, identityProvider, type Provider } from './providers.js';

interface ResourceRule { matches(key: string): boolean; providers: Provider[] }

/** API groups without a dot: the second segment of their keys is the group, not a core resource. */
const DOTLESS_GROUPS = new Set(['apps', 'batch', 'policy', 'autoscaling', 'extensions']);

/** A storage key's resource and group: `/registry/secrets/…` → ['secrets', ''], `/registry/apps/deployments/…` → ['deployments', 'apps']. */
function resourceOfKey(key: string): [string, string] {
  const parts = key.split('/').filter(Boolean); // registry, [group], resource, ...
  const second = parts[1] ?? '';
  return second.includes('.') || DOTLESS_GROUPS.has(second) ? [parts[2] ?? '', second] : [second, ''];
}

function matcher(name: string): (key: string) => boolean {
  const dot = name.indexOf('.');
  const resource = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? '' : name.slice(dot + 1);
  return (key) => {
    const [r, g] = resourceOfKey(key);
    return (resource === '*' || resource === r) && (group === '*' || group === g);
  };
}

function keysOf(kind: string, cfg: unknown, where: string): Array<{ name: string; secret: Buffer }> {
  const keys = (cfg as { keys?: Array<{ name?: string; secret?: string }> } | undefined)?.keys;
  if (!Array.isArray(keys) || !keys.length) throw new Error(`${where}.${kind}.keys: Required value: at least one key must be provided`);
  return keys.map((k, i) => {
    if (!k.name) throw new Error(`${where}.${kind}.keys[${i}].name: Required value`);
    const secret = Buffer.from(String(k.secret ?? ''), 'base64');
    if (![16, 24, 32].includes(secret.length)) throw new Error(`${where}.${kind}.keys[${i}].secret: Invalid value: "REDACTED": secret is not of the expected length, got ${secret.length}, expected one of [16 24 32]`);
    return { name: k.name, secret };
  });
}

/**
 * Parses an EncryptionConfiguration document (YAML or JSON).
 * @throws Error with a field path when the document is not a valid configuration.
 */
export function parseEncryptionConfiguration(text: string): ValueTransformer {
  const doc = parse(text) as { apiVersion?: string; kind?: string; resources?: Array<{ resources?: string[]; providers?: Array<Record<string, unknown>> }> };
  if (doc?.kind !== 'EncryptionConfiguration' || doc.apiVersion !== 'apiserver.config.k8s.io/v1') throw new Error('not an apiserver.config.k8s.io/v1 EncryptionConfiguration');
  const rules: ResourceRule[] = (doc.resources ?? []).map((r, i) => {
    const where = `resources[${i}]`;
    if (!r.resources?.length) throw new Error(`${where}.resources: Required value: resources are required`);
    if (!r.providers?.length) throw new Error(`${where}.providers: Required value: providers are required`);
    const providers = r.providers.flatMap((p, j): Provider[] => {
      const [kind, cfg] = Object.entries(p)[0] ?? [];
      if (kind === 'identity') return [identityProvider];
      if (kind === 'aescbc') return keysOf(kind, cfg, `${where}.providers[${j}]`).map((k) => aescbcProvider(k.name, k.secret));
      if (kind === 'aesgcm') return keysOf(kind, cfg, `${where}.providers[${j}]`).map((k) => aesgcmProvider(k.name, k.secret));
      throw new Error(`${where}.providers[${j}]: Unsupported value: "${kind}": supported values: "aescbc", "aesgcm", "identity"`);
    });
    const matchers = r.resources.map(matcher);
    return { matches: (key) => matchers.some((m) => m(key)), providers };
  });
  const ruleOf = (key: string) => rules.find((r) => r.matches(key));
  return {
    toStorage(key, plain) {
      const writer = ruleOf(key)?.providers[0];
      if (!writer || !writer.prefix) return plain;
      return writer.prefix + writer.encrypt(Buffer.from(plain, 'utf8')).toString('base64');
    },
    fromStorage(key, stored) {
      if (!stored.startsWith('k8s:enc:')) return stored; // identity: written before encryption was on
      const reader = ruleOf(key)?.providers.find((p) => p.prefix && stored.startsWith(p.prefix));
      if (!reader) throw new Error(`no matching prefix found for ${key}: the value was written with a key this configuration does not hold`);
      return reader.decrypt(Buffer.from(stored.slice(reader.prefix.length), 'base64')).toString('utf8');
    },
  };
}

/** Reads and parses the file of `--encryption-provider-config`. */
export function loadEncryptionConfiguration(path: string): ValueTransformer {
  return parseEncryptionConfiguration(readFileSync(path, 'utf8'));
}
