/**
 * The etcd members and their health, for `kubectl get componentstatuses` (upstream
 * pkg/registry/core/componentstatus: one `etcd-N` per configured server, healthy when
 * its health check passes). The list comes from Cluster MemberList; each member is then
 * asked for its Maintenance Status over its own client URLs with a short deadline:
 * healthy when it answers, knows a leader and reports no errors.
 */
import { Etcd3 } from 'etcd3';
import type { DatastoreMember } from '../interface.js';
import { call, type EtcdContext } from './context.js';

/** Status of one member through its own client URLs; never throws (a failure is `healthy: false` with `error`). */
async function memberHealth(clientURLs: string[], timeoutMs: number): Promise<{ healthy: boolean; error?: string }> {
  if (clientURLs.length === 0) return { healthy: false, error: 'member has not started (no client URLs)' };
  const client = new Etcd3({ hosts: clientURLs, dialTimeout: timeoutMs, defaultCallOptions: () => ({ deadline: Date.now() + timeoutMs }) });
  try {
    const status = await client.maintenance.status({});
    if (status.errors?.length) return { healthy: false, error: status.errors.join('; ') };
    if (!status.leader || status.leader === '0') return { healthy: false, error: 'no leader' };
    return { healthy: true };
  } catch (err) {
    return { healthy: false, error: (err as Error).message };
  } finally {
    client.close();
  }
}

/** Every member (in MemberList order) with its health. Throws Unreachable when the member list cannot be read. */
export async function listMembers(ctx: EtcdContext, timeoutMs = 2000): Promise<DatastoreMember[]> {
  const res = await call(ctx, '', () => ctx.client.cluster.memberList({}));
  return Promise.all(res.members.map(async (m) => ({
    name: m.name || m.ID,
    clientURLs: m.clientURLs,
    ...(await memberHealth(m.clientURLs, timeoutMs)),
  })));
}
