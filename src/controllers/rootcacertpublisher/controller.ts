/**
 * Root CA certificate publisher (upstream pkg/controller/certificates/rootcacertpublisher):
 * keeps a ConfigMap `kube-root-ca.crt` with the cluster CA bundle (`ca.crt`) in every
 * active namespace, recreating it when deleted and restoring it when changed, so pods
 * can verify the apiserver.
 */
import type { ConfigMap, Namespace } from '../../api/core/v1/types.js';
import { isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { unwrapTombstone } from '../../client/informers/shared-informer.js';
import { QueueController } from '../controller.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export class RootCACertPublisher extends QueueController {
  private readonly ns: SharedIndexInformer<Namespace>;
  private readonly cm: SharedIndexInformer<ConfigMap>;

  /** `rootCA`: the PEM bundle to publish. */
  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly rootCA: string) {
    super('root-ca-cert-publisher', informers);
    this.ns = informers.forResource<Namespace>(resources.namespaces);
    this.cm = informers.forResource<ConfigMap>(resources.configmaps);
    this.ns.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
    const onConfigMap = (o: ConfigMap): void => { if (o.metadata.name === ROOT_CA_CONFIGMAP) this.queue.add(o.metadata.namespace!); };
    this.cm.addEventHandler({ onUpdate: (_o, n) => onConfigMap(n), onDelete: (t) => onConfigMap(unwrapTombstone(t) as ConfigMap) });
  }

  protected async sync(name: string): Promise<void> {
    const ns = this.ns.lister.get(name);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const current = this.cm.lister.get(`${name}/${ROOT_CA_CONFIGMAP}`);
    const cms = this.client.resource<ConfigMap>(resources.configmaps);
    if (!current) {
      await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: name }, data: { 'ca.crt': this.rootCA } }, { namespace: name })
        .catch((e) => { if (!isAlreadyExists(e)) throw e; });
      return;
    }
    if (current.data?.['ca.crt'] === this.rootCA && Object.keys(current.data).length === 1) return;
    await cms.update({ ...current, data: { 'ca.crt': this.rootCA } }).catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
