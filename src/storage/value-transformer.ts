/**
 * How a backend's stored values are transformed (upstream
 * k8s.io/apiserver/pkg/storage/value Transformer): `toStorage` turns the serialized
 * object into what is written, `fromStorage` back. Keys are storage keys
 * (`/registry/secrets/ns/name`), so a transformer can choose by resource.
 */
export interface ValueTransformer {
  toStorage(key: string, plain: string): string;
  /** @throws Error when the stored value cannot be read back (unknown key, tampered data). */
  fromStorage(key: string, stored: string): string;
}

/** Values stored as they are. */
export const identityTransformer: ValueTransformer = { toStorage: (_k, v) => v, fromStorage: (_k, v) => v };
