/**
 * componentstatuses (core/v1 ComponentStatus, deprecated since v1.19 but still served):
 * computed on every read. k8ts's meaning: `scheduler` and `controller-manager` are
 * Healthy while their leader Lease in kube-system is held and fresh; `etcd-0` is Healthy
 * while the storage answers.
 */
import type { KubeObject } from '../../api/object.js';
import { groupVersion, type ResourceDefinition } from '../../api/resource-definition.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import type { Storage } from '../../storage/interface.js';
import { notFound } from '../../machinery/errors.js';
import type { RestStorage } from './rest.js';

const COMPONENTS: Record<string, string | undefined> = { scheduler: 'kube-scheduler', 'controller-manager': 'kube-controller-manager', 'etcd-0': undefined };

export function componentStatusStorage(kind: ResourceDefinition, storage: Storage, leaseKey: (name: string) => string): RestStorage {
  const check = async (name: string): Promise<KubeObject> => {
    const lease = COMPONENTS[name];
    let healthy = true;
    let error = '';
    if (lease) {
      try {
        const l = await storage.get<Lease>(leaseKey(lease));
        const s = l.spec ?? {};
        healthy = !!s.holderIdentity && !!s.renewTime && Date.parse(s.renewTime) + (s.leaseDurationSeconds ?? 15) * 1000 >= Date.now();
        if (!healthy) error = `leader lease kube-system/${lease} is not held`;
      } catch { healthy = false; error = `no leader lease kube-system/${lease}`; }
    } else {
      try { await storage.currentRevision(); } catch (e) { healthy = false; error = (e as Error).message; }
    }
    return {
      apiVersion: groupVersion(kind.info), kind: kind.info.kind, metadata: { name },
      conditions: [{ type: 'Healthy', status: healthy ? 'True' : 'False', ...(healthy ? { message: 'ok' } : { error }) }],
    };
  };
  return {
    info: kind.info,
    warning: 'v1 ComponentStatus is deprecated in v1.19+',
    async get(_ctx, name) {
      if (!(name in COMPONENTS)) throw notFound({ group: '', resource: 'componentstatuses' }, name);
      return check(name);
    },
    async list() {
      return { apiVersion: 'v1', kind: 'ComponentStatusList', metadata: {}, items: await Promise.all(Object.keys(COMPONENTS).map(check)) };
    },
  };
}
