/**
 * The API client every component uses (scheduler, controllers, kubelet): a thin REST
 * client over HTTPS to the apiserver, in the manner of client-go's dynamic client.
 * Errors from the server are thrown as StatusError (machinery/errors.ts) carrying the
 * server's Status, so `isNotFound(err)` / `isConflict(err)` work on them.
 */
import type { KubeList, KubeObject } from '../api/object.js';
import { refOf, untyped } from '../api/resource-definition.js';
import { configMapDefinition } from '../api/core/v1/config-map.js';
import { endpointsDefinition } from '../api/core/v1/endpoints.js';
import { eventV1Definition } from '../api/events/v1/event.js';
import { eventDefinition } from '../api/core/v1/event.js';
import { namespaceDefinition } from '../api/core/v1/namespace.js';
import { nodeDefinition } from '../api/core/v1/node.js';
import { podDefinition } from '../api/core/v1/pod.js';
import { secretDefinition } from '../api/core/v1/secret.js';
import { serviceAccountDefinition } from '../api/core/v1/service-account.js';
import { serviceDefinition } from '../api/core/v1/service.js';
import { deploymentDefinition, replicaSetDefinition } from '../api/apps/v1/kinds.js';
import { leaseDefinition } from '../api/coordination/v1/lease.js';
import { endpointSliceDefinition } from '../api/discovery/v1/endpoint-slice.js';
import { jobDefinition } from '../api/batch/v1/job.js';
import { replicationControllerDefinition } from '../api/core/v1/replication-controller.js';
import { cronJobDefinition } from '../api/batch/v1/cron-job.js';
import { statefulSetDefinition } from '../api/apps/v1/stateful-set.js';
import { daemonSetDefinition } from '../api/apps/v1/daemon-set.js';
import { controllerRevisionDefinition } from '../api/apps/v1/controller-revision.js';
import { persistentVolumeClaimDefinition } from '../api/core/v1/persistent-volume-claim.js';
import { persistentVolumeDefinition } from '../api/core/v1/persistent-volume.js';
import { storageClassDefinition } from '../api/storage/v1/storage-class.js';
import { podDisruptionBudgetDefinition } from '../api/policy/v1/pod-disruption-budget.js';
import { resourceQuotaDefinition } from '../api/core/v1/resource-quota.js';
import { horizontalPodAutoscalerDefinition } from '../api/autoscaling/v2/horizontal-pod-autoscaler.js';

/** A resource addressed by group/version/plural: {group:'apps', version:'v1', resource:'deployments'}. */
export interface ResourceRef { group: string; version: string; resource: string }

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
  /**
   * Metadata only (client-go's metadata client): the server sends each item as a
   * meta.k8s.io/v1 PartialObjectMetadata (`Accept: application/json;as=PartialObjectMetadataList`
   * for a list, `;as=PartialObjectMetadata` for a watch's objects).
   */
  metadataOnly?: boolean;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Aborting closes the stream and ends the iteration. */
  signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
/** One line of a watch stream (meta/v1 WatchEvent); for ERROR, object is a Status. */
export interface WatchEvent<T extends KubeObject = KubeObject> { type: WatchEventType; object: T }

export type PatchType = 'application/json-patch+json' | 'application/merge-patch+json' | 'application/strategic-merge-patch+json';

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** CRUD + watch on one resource (optionally one subresource such as 'status'). */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  get(name: string, opts?: { namespace?: string; subresource?: string }): Promise<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  /** Streams events until the server ends the watch or the signal aborts. */
  watch(opts?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Namespace comes from obj.metadata.namespace unless given. `subresource` e.g. 'binding' (POST pods/x/binding). */
  create<R extends KubeObject = T>(obj: KubeObject, opts?: { namespace?: string; name?: string; subresource?: string }): Promise<R>;
  /** PUT; uses obj.metadata.resourceVersion for optimistic concurrency (409 on conflict). */
  update(obj: T, opts?: { subresource?: string }): Promise<T>;
  patch(name: string, patch: unknown, type: PatchType, opts?: { namespace?: string; subresource?: string }): Promise<T>;
  /** Returns the object (graceful deletion or finalizers pending) or the server's Status. */
  delete(name: string, opts?: DeleteOptions): Promise<unknown>;
}

/** Entry point: a ResourceClient per resource, plus raw requests. */
export interface Client {
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T>;
  /** Raw request to an API path (e.g. '/version'); JSON in and out; throws StatusError on >= 400. */
  request<R = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<R>;
}

/** Refs of the built-in kinds components use, derived from their definitions (so names cannot drift). */
export const resources = {
  namespaces: refOf(untyped(namespaceDefinition)),
  pods: refOf(untyped(podDefinition)),
  nodes: refOf(untyped(nodeDefinition)),
  services: refOf(untyped(serviceDefinition)),
  endpoints: refOf(untyped(endpointsDefinition)),
  endpointslices: refOf(untyped(endpointSliceDefinition)),
  configmaps: refOf(untyped(configMapDefinition)),
  secrets: refOf(untyped(secretDefinition)),
  serviceaccounts: refOf(untyped(serviceAccountDefinition)),
  events: refOf(untyped(eventDefinition)),
  /** events.k8s.io/v1 Events: the same objects as `events`, in the newer shape. */
  eventsV1: refOf(untyped(eventV1Definition)),
  leases: refOf(untyped(leaseDefinition)),
  deployments: refOf(untyped(deploymentDefinition)),
  replicasets: refOf(untyped(replicaSetDefinition)),
  statefulsets: refOf(untyped(statefulSetDefinition)),
  controllerrevisions: refOf(untyped(controllerRevisionDefinition)),
  persistentvolumeclaims: refOf(untyped(persistentVolumeClaimDefinition)),
  persistentvolumes: refOf(untyped(persistentVolumeDefinition)),
  storageclasses: refOf(untyped(storageClassDefinition)),
  jobs: refOf(untyped(jobDefinition)),
  cronjobs: refOf(untyped(cronJobDefinition)),
  replicationcontrollers: refOf(untyped(replicationControllerDefinition)),
  daemonsets: refOf(untyped(daemonSetDefinition)),
  poddisruptionbudgets: refOf(untyped(podDisruptionBudgetDefinition)),
  resourcequotas: refOf(untyped(resourceQuotaDefinition)),
  horizontalpodautoscalers: refOf(untyped(horizontalPodAutoscalerDefinition)),
} as const satisfies Record<string, ResourceRef>;
