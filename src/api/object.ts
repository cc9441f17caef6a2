/**
 * The shape every Kubernetes object shares (meta/v1 TypeMeta + ObjectMeta, API
 * reference "ObjectMeta"). The api package's TypeBox schemas for each kind must stay
 * assignable to {@link KubeObject}; code that handles any kind (storage, registry,
 * informers) works on this type.
 */

/** meta/v1 OwnerReference. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** meta/v1 ManagedFieldsEntry (stored, not interpreted yet). */
export interface ManagedFieldsEntry { manager?: string; operation?: string; apiVersion?: string; time?: string; fieldsType?: string; fieldsV1?: unknown; subresource?: string }

/** meta/v1 ObjectMeta. Timestamps are RFC 3339 strings with second precision. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

/** Any API object: TypeMeta + ObjectMeta + the kind's own fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** meta/v1 ListMeta. */
export interface ListMeta { resourceVersion?: string; continue?: string; remainingItemCount?: number }

/** A `<Kind>List` object. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}
