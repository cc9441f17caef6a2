/**
 * PVC protection (upstream pkg/controller/volume/pvcprotection): a PersistentVolumeClaim
 * being deleted keeps its `kubernetes.io/pvc-protection` finalizer (added by the
 * StorageObjectInUseProtection admission plugin) while a pod of its namespace that is
 * scheduled (a kubelet may have it mounted; one does not start a pod on a deleting
 * claim) and not finished (phase neither Succeeded nor Failed) uses it — through
 * `volumes[].persistentVolumeClaim.claimName`, or a generic ephemeral volume, whose claim
 * is named `<pod>-<volume>` — and loses it once none does, so the deletion completes.
 */
import type { KubeObject } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { persistentVolumeClaimDefinition } from '../../api/core/v1/persistent-volume-claim.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { isNotFound } from '../../machinery/errors.js';
import { QueueController } from '../controller.js';
import { PVC_PROTECTION_FINALIZER } from '../../apiserver/admission/storage-object-in-use-protection.js';

const PVCS = refOf(untyped(persistentVolumeClaimDefinition));

/** The claims `pod` uses (names in its namespace). */
export function claimsOf(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => {
    const vol = v as { name: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown };
    if (vol.persistentVolumeClaim?.claimName) return [vol.persistentVolumeClaim.claimName];
    if (vol.ephemeral) return [`${pod.metadata.name}-${vol.name}`];
    return [];
  });
}

/** Whether `pod` cannot be using its claims: not scheduled, or finished. */
const finished = (pod: Pod): boolean => !pod.spec?.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class PvcProtectionController extends QueueController {
  private readonly pvcs: SharedIndexInformer<KubeObject>;
  private readonly pods: SharedIndexInformer<Pod>;

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('pvc-protection', informers);
    this.pvcs = informers.forResource<KubeObject>(PVCS);
    this.pods = informers.forResource<Pod>(resources.pods);
    this.pods.addIndexers({ claims: (p) => claimsOf(p).map((c) => `${p.metadata.namespace}/${c}`) });
    this.pvcs.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
    // A pod that finishes or goes away may free the claims it used.
    const onPod = (p: Pod): void => { for (const c of claimsOf(p)) this.queue.add(`${p.metadata.namespace}/${c}`); };
    this.pods.addEventHandler({ onUpdate: (_o, n) => onPod(n), onDelete: (t) => onPod(unwrapTombstone(t) as Pod) });
  }

  protected async sync(key: string): Promise<void> {
    const pvc = this.pvcs.lister.get(key);
    if (!pvc?.metadata.deletionTimestamp || !pvc.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return;
    if (this.pods.lister.byIndex('claims', key).some((p) => !finished(p))) return;
    // The informer may lag: ask the API for the namespace's pods before letting go.
    const live = await this.client.resource<Pod>(resources.pods).list({ namespace: pvc.metadata.namespace });
    if (live.items.some((p) => !finished(p) && claimsOf(p).includes(pvc.metadata.name!))) return;
    const next = structuredClone(pvc);
    next.metadata.finalizers = next.metadata.finalizers!.filter((f) => f !== PVC_PROTECTION_FINALIZER);
    await this.client.resource(PVCS).update(next).catch((err) => { if (!isNotFound(err)) throw err; });
  }
}
