/**
 * Mirror pods: the API's read-only copies of static pods (upstream
 * pkg/kubelet/pod/mirror_client.go and pod_manager.go). A mirror pod is the static pod
 * without uid/resourceVersion/status, with the annotation `kubernetes.io/config.mirror`
 * = the static pod's hash and a controller ownerReference to the Node. It is the mirror
 * OF a static pod while that annotation equals the pod's `kubernetes.io/config.hash`
 * and it is not being deleted; otherwise it is deleted (grace 0, uid precondition) and
 * created again. The static pod's spec comes from its file; the mirror only shows it
 * (and carries its status, written by the pod syncer through the status subresource).
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { ResourceClient } from '../client/interface.js';
import { isAlreadyExists, isNotFound } from '../machinery/errors.js';
import { CONFIG_HASH, CONFIG_MIRROR, isMirrorPod } from './static-pods.js';

/** The Node owning the mirror pods. */
export interface NodeRef { name: string; uid: string }

/** The mirror pod to create for `staticPod`. */
export function mirrorPodFor(staticPod: Pod, node: NodeRef): Pod {
  const hash = staticPod.metadata.annotations?.[CONFIG_HASH] ?? staticPod.metadata.uid!;
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...meta } = staticPod.metadata;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      ...meta, annotations: { ...(meta.annotations ?? {}), [CONFIG_MIRROR]: hash },
      ownerReferences: [...(meta.ownerReferences ?? []), { apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }],
    },
    spec: structuredClone(staticPod.spec),
  };
}

/** Whether `mirror` is the current mirror of `staticPod`. */
export const isMirrorOf = (mirror: Pod | undefined, staticPod: Pod): boolean =>
  !!mirror && !mirror.metadata.deletionTimestamp && mirror.metadata.annotations?.[CONFIG_MIRROR] === staticPod.metadata.annotations?.[CONFIG_HASH];

/** Deletes a mirror pod now (grace 0, uid precondition); a missing one is fine. */
export async function deleteMirrorPod(pods: ResourceClient<Pod>, mirror: Pod): Promise<void> {
  try {
    await pods.delete(mirror.metadata.name!, { namespace: mirror.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata.uid } });
  } catch (err) { if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err; }
}

/**
 * Brings the API's mirror of `staticPod` in line: nothing when `current` is it; else
 * deletes `current` when it is a mirror (outdated, or being deleted by a user) and
 * creates the mirror. Resolves to what it did. Errors (e.g. a missing namespace, or an
 * ordinary pod holding the name — left alone, as upstream does) propagate.
 */
export async function syncMirrorPod(pods: ResourceClient<Pod>, staticPod: Pod, current: Pod | undefined, node: NodeRef): Promise<'unchanged' | 'created' | 'recreated'> {
  if (isMirrorOf(current, staticPod)) return 'unchanged';
  if (current && !isMirrorPod(current)) throw new Error(`cannot create the mirror pod of static pod ${staticPod.metadata.namespace}/${staticPod.metadata.name}: a pod that is not a mirror pod has its name`);
  if (current) await deleteMirrorPod(pods, current);
  try {
    await pods.create(mirrorPodFor(staticPod, node), { namespace: staticPod.metadata.namespace });
  } catch (err) {
    // The informer lags behind: a mirror may already be there (checked on the next sync).
    if (!isAlreadyExists(err)) throw err;
  }
  return current ? 'recreated' : 'created';
}
