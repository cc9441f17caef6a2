/**
 * componentstatuses (core/v1 ComponentStatus, deprecated since v1.19 but still served):
 * computed on every read. k8ts's meaning: `scheduler` and `controller-manager` are
 * Healthy while their leader Lease in kube-system is held and fresh; on etcd, one
 * `etcd-N` per member (upstream: one per --etcd-servers entry), Healthy while that
 * member answers a status call and knows a leader; on SQLite, `etcd-0` is Healthy while
 * the storage answers.
 */
import type { KubeObject } from '../../api/object.js';
import { groupVersion, type ResourceDefinition } from '../../api/resource-definition.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import type { DatastoreMember, DatastoreMembers, Storage } from '../../storage/interface.js';
import { notFound } from '../../machinery/errors.js';
import type { RestStorage } from './rest.js';

const LEASES: Record<string, string> = { scheduler: 'kube-scheduler', 'controller-manager': 'kube-controller-manager' };

const hasMembers = (s: Storage): s is Storage & DatastoreMembers => typeof (s as Partial<DatastoreMembers>).members === 'function';

/** The storage of `componentstatuses` over the apiserver's `storage` (leases read at `leaseKey(name)`). */
export function componentStatusStorage(kind: ResourceDefinition, storage: Storage, leaseKey: (name: string) => string): RestStorage {
  /** The datastore's members (etcd), or undefined for SQLite; an unreachable member list is one unhealthy etcd-0. */
  const members = async (): Promise<DatastoreMember[] | undefined> => {
    if (!hasMembers(storage)) return undefined;
    try { return await storage.members(); } catch (e) { return [{ name: 'etcd-0', clientURLs: [], healthy: false, error: (e as Error).message }]; }
  };
  const status = (name: string, healthy: boolean, error: string): KubeObject => ({
    apiVersion: groupVersion(kind.info), kind: kind.info.kind, metadata: { name },
    conditions: [{ type: 'Healthy', status: healthy ? 'True' : 'False', ...(healthy ? { message: 'ok' } : { error }) }],
  });
  const etcdStatuses = async (): Promise<KubeObject[]> => {
    const list = await members();
    if (list) return list.map((m, i) => status(`etcd-${i}`, m.healthy, m.error ?? `member ${m.name} is not healthy`));
    try { await storage.currentRevision(); return [status('etcd-0', true, '')]; } catch (e) { return [status('etcd-0', false, (e as Error).message)]; }
  };
  const check = async (name: string): Promise<KubeObject> => {
    const lease = LEASES[name];
    try {
      const s = (await storage.get<Lease>(leaseKey(lease))).spec ?? {};
      const healthy = !!s.holderIdentity && !!s.renewTime && Date.parse(s.renewTime) + (s.leaseDurationSeconds ?? 15) * 1000 >= Date.now();
      return status(name, healthy, `leader lease kube-system/${lease} is not held`);
    } catch { return status(name, false, `no leader lease kube-system/${lease}`); }
  };
  return {
    info: kind.info,
    warning: 'v1 ComponentStatus is deprecated in v1.19+',
    async get(_ctx, name) {
      if (name in LEASES) return check(name);
      const etcd = (await etcdStatuses()).find((c) => c.metadata.name === name);
      if (!etcd) throw notFound({ group: '', resource: 'componentstatuses' }, name);
      return etcd;
    },
    async list() {
      const [leased, etcd] = await Promise.all([Promise.all(Object.keys(LEASES).map(check)), etcdStatuses()]);
      return { apiVersion: 'v1', kind: 'ComponentStatusList', metadata: {}, items: [...leased, ...etcd] };
    },
  };
}
