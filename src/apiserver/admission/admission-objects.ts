/**
 * What the configurable admission plugins (webhooks, ValidatingAdmissionPolicy) read of
 * the apiserver's own storage: lists from the watch cache (so a configuration written a
 * moment ago is seen on the next request — the cache is the refresh-on-change that
 * upstream's informers give), single objects by name, and the resource serving a kind
 * (a policy's paramKind).
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resource-definition.js';

export interface AdmissionObjects {
  /** Stored objects of group/version/plural in `namespace` ('' or absent: all). Empty for a resource not served. */
  list(group: string, version: string, plural: string, namespace?: string): Promise<KubeObject[]>;
  /** One stored object; undefined when absent or the resource is not served. */
  get(group: string, version: string, plural: string, name: string, namespace?: string): Promise<KubeObject | undefined>;
  /** The served resource of `apiVersion` (`group/version` or `v1`) and `kind`; undefined when none. */
  resourceFor(apiVersion: string, kind: string): ResourceInfo | undefined;
}
