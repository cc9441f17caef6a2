/**
 * PV protection (upstream pkg/controller/volume/pvprotection): a PersistentVolume being
 * deleted keeps its `kubernetes.io/pv-protection` finalizer while it is Bound to a claim
 * (status.phase Bound) and loses it once it is not, so the deletion completes.
 */
import type { KubeObject } from '../../api/object.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { persistentVolumeDefinition } from '../../api/core/v1/persistent-volume.js';
import type { Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { QueueController } from '../controller.js';
import { PV_PROTECTION_FINALIZER } from '../../apiserver/admission/storage-object-in-use-protection.js';

const PVS = refOf(untyped(persistentVolumeDefinition));

export class PvProtectionController extends QueueController {
  private readonly pvs: SharedIndexInformer<KubeObject>;

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('pv-protection', informers);
    this.pvs = informers.forResource<KubeObject>(PVS);
    this.pvs.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }

  protected async sync(name: string): Promise<void> {
    const pv = this.pvs.lister.get(name) as (KubeObject & { status?: { phase?: string } }) | undefined;
    if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER)) return;
    if (pv.status?.phase === 'Bound') return;
    const next = structuredClone(pv);
    next.metadata.finalizers = next.metadata.finalizers!.filter((f) => f !== PV_PROTECTION_FINALIZER);
    await this.client.resource(PVS).update(next).catch((err) => { if (!isNotFound(err)) throw err; });
  }
}
