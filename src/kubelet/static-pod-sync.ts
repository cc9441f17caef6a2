/**
 * One pod worker step for a key that is, or was, a static pod or a mirror pod (upstream
 * pod_workers.go + kubelet.go's mirror handling, reduced to k8ts' queue):
 * 1. the static pod version that runs under `key` differs from the file's (edited or
 *    removed) → terminate it gracefully (PodSyncer.terminate);
 * 2. a static pod → ensure its mirror (mirror-pods.ts), then sync the file's pod with
 *    the mirror's status (so the syncer writes status only on change); the pod runs even
 *    when the mirror cannot be created (e.g. no such namespace): that error is thrown
 *    after the sync, so the worker retries with back-off;
 * 3. a mirror pod without a static pod → delete it;
 * otherwise the key is an ordinary API pod: `handled` false, the caller syncs it.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { ResourceClient } from '../client/interface.js';
import { deleteMirrorPod, isMirrorOf, syncMirrorPod, type NodeRef } from './mirror-pods.js';
import { isMirrorPod } from './static-pods.js';
import type { SyncResult } from './pod-sync.js';

export interface StaticPodSyncContext {
  /** The pod syncer (pod-sync.ts). */
  syncer: { sync(pod: Pod): Promise<SyncResult>; terminate(pod: Pod): Promise<void> };
  /** Pods in the API (mirror pods are created and deleted there). */
  pods: ResourceClient<Pod>;
  node: () => NodeRef;
  /** Key → the static pod version that runs (updated here). */
  running: Map<string, Pod>;
}

/** Syncs `key` given the API's pod and the file's static pod under it (either may be absent). */
export async function syncStaticKey(key: string, apiPod: Pod | undefined, staticPod: Pod | undefined, ctx: StaticPodSyncContext): Promise<{ handled: boolean } & SyncResult> {
  const running = ctx.running.get(key);
  if (running && running.metadata.uid !== staticPod?.metadata.uid) {
    await ctx.syncer.terminate(running);
    ctx.running.delete(key);
  }
  if (staticPod) {
    let mirrorError: Error | undefined;
    await syncMirrorPod(ctx.pods, staticPod, apiPod, ctx.node()).catch((err: Error) => { mirrorError = err; });
    ctx.running.set(key, staticPod);
    const r = await ctx.syncer.sync({ ...staticPod, status: isMirrorOf(apiPod, staticPod) ? apiPod!.status : staticPod.status });
    if (mirrorError) throw mirrorError;
    return { handled: true, ...r };
  }
  if (apiPod && isMirrorPod(apiPod)) {
    await deleteMirrorPod(ctx.pods, apiPod);
    return { handled: true };
  }
  return { handled: false };
}
