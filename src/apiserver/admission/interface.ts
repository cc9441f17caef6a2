/**
 * Admission (upstream k8s.io/apiserver/pkg/admission): after authentication and
 * authorization, before the strategy's validation and the storage write, each request
 * that changes state passes a chain of plugins. Mutating plugins (`admit`) may change
 * the object; validating plugins (`validate`) may only refuse. Refusals are thrown as
 * StatusError (403 Forbidden, 404 NotFound, 422 Invalid...).
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resource-definition.js';
import type { UserInfo } from '../registry/rest.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What a plugin sees of one request (upstream admission.Attributes). */
export interface AdmissionAttributes {
  operation: AdmissionOperation;
  /** The resource addressed (for subresources, the parent's info). */
  resource: ResourceInfo;
  /** '' for the main resource; 'status', 'binding', 'exec'... */
  subresource: string;
  /** '' for cluster-scoped resources. */
  namespace: string;
  name: string;
  /** The new object (CREATE, UPDATE); plugins' `admit` may change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
  /** The request's warnings: a plugin may push text here (sent as `Warning: 299` headers, e.g. PodSecurity's warn mode); absent for internal writes. */
  warnings?: string[];
  /** Adds an annotation to the request's audit events (upstream AddAnnotation); absent without auditing. */
  auditAnnotate?: (key: string, value: string) => void;
}

/** One admission plugin; it implements either step or both. */
export interface AdmissionPlugin {
  /** Upstream's plugin name, e.g. 'NamespaceLifecycle'. */
  readonly name: string;
  /** Mutating step; may change `attrs.object`. Throws StatusError to refuse. */
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Validating step; must not change anything. Throws StatusError to refuse. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}
