import { it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResourceTable } from '../../api/builtin-resources.js';
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../machinery/errors.js';
import { AdmissionChain } from './chain.js';
import { defaultAdmissionChain } from './default-chain.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const table = builtinResourceTable();
const user = { username: 'u', groups: [] };
const attrs = (plural: string, a: Partial<AdmissionAttributes>): AdmissionAttributes =>
  ({ operation: 'CREATE', resource: table.byResource('', plural)!.info, subresource: '', namespace: 'default', name: 'x', user, dryRun: false, ...a });
const code = async (p: Promise<unknown>): Promise<number | undefined> => { try { await p; return undefined; } catch (e) { if (e instanceof StatusError) return e.code; throw e; } };

it('runs every admit in order, then every validate; the first refusal ends the request', async () => {
  const seen: string[] = [];
  const plugin = (n: string, refuse = false): AdmissionPlugin => ({
    name: n,
    admit: () => { seen.push(`admit ${n}`); },
    validate: () => { seen.push(`validate ${n}`); if (refuse) throw new StatusError({ code: 403, reason: 'Forbidden', message: n }); },
  });
  const chain = new AdmissionChain([plugin('a'), plugin('b', true), plugin('c')]);
  const a = attrs('configmaps', {});
  await chain.admit(a);
  assert.equal(await code(chain.validate(a)), 403);
  assert.deepEqual(seen, ['admit a', 'admit b', 'admit c', 'validate a', 'validate b']);
});

it('default chain: NamespaceLifecycle, ServiceAccount, DefaultTolerationSeconds, Priority as upstream', async () => {
  const namespaces: Record<string, KubeObject> = { default: { metadata: { name: 'default' } }, gone: { metadata: { name: 'gone', deletionTimestamp: '2026-01-01T00:00:00Z' } } };
  const chain = defaultAdmissionChain({ namespace: async (n) => namespaces[n], priorityClass: async (n) => (n === 'high' ? { metadata: { name: n }, value: 1000 } : undefined), limitRanges: async () => [] });
  assert.deepEqual(chain.plugins.map((p) => p.name), ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'DefaultTolerationSeconds', 'Priority', 'StorageObjectInUseProtection', 'CertificateSubjectRestriction']);
  const pod: KubeObject = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }] } };
  const a = attrs('pods', { object: pod });
  await chain.admit(a);
  await chain.validate(a);
  const spec = pod.spec as { serviceAccountName: string; serviceAccount: string; priority: number; preemptionPolicy: string; tolerations: Array<{ key: string; tolerationSeconds?: number }> };
  assert.deepEqual([spec.serviceAccountName, spec.serviceAccount, spec.priority, spec.preemptionPolicy], ['default', 'default', 0, 'PreemptLowerPriority']);
  assert.deepEqual(spec.tolerations.map((t) => [t.key, t.tolerationSeconds]), [['node.kubernetes.io/unreachable', undefined], ['node.kubernetes.io/not-ready', 300]]);
  assert.equal(await code(chain.validate(attrs('configmaps', { namespace: 'missing' }))), 404);
  assert.equal(await code(chain.validate(attrs('configmaps', { namespace: 'gone' }))), 403);
  assert.equal(await code(chain.validate(attrs('namespaces', { operation: 'DELETE', namespace: '', name: 'kube-system' }))), 403);
  assert.equal(await code(chain.validate(attrs('namespaces', { operation: 'DELETE', namespace: '', name: 'team-a' }))), undefined);
  const withClass: KubeObject = { metadata: { name: 'q' }, spec: { priorityClassName: 'high', containers: [{ name: 'c' }] } };
  await chain.admit(attrs('pods', { object: withClass, name: 'q' }));
  assert.equal((withClass.spec as { priority: number }).priority, 1000);
  const missing: KubeObject = { metadata: { name: 'r' }, spec: { priorityClassName: 'gold', containers: [{ name: 'c' }] } };
  await assert.rejects(chain.admit(attrs('pods', { object: missing, name: 'r' })), /pods "r" is forbidden: no PriorityClass with name gold was found/);
  // Updates of pods are not mutated by the create-only plugins.
  const upd: KubeObject = { metadata: { name: 'p' }, spec: {} };
  await chain.admit(attrs('pods', { operation: 'UPDATE', object: upd }));
  assert.deepEqual(upd.spec, {});
});

it('ServiceAccount admission leaves a mirror pod without a ServiceAccount or token volume', async () => {
  const { serviceAccountAdmission } = await import('./service-account.js');
  const mirror = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'static-web-n1', annotations: { 'kubernetes.io/config.mirror': 'abc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as unknown as KubeObject;
  await serviceAccountAdmission().admit!(attrs('pods', { object: mirror, name: 'static-web-n1' }));
  const spec = (mirror as unknown as { spec: { serviceAccountName?: string; volumes?: unknown[] } }).spec;
  assert.equal(spec.serviceAccountName, undefined);
  assert.equal(spec.volumes, undefined);
  const plain = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as unknown as KubeObject;
  await serviceAccountAdmission().admit!(attrs('pods', { object: plain, name: 'p' }));
  assert.equal((plain as unknown as { spec: { serviceAccountName?: string } }).spec.serviceAccountName, 'default');
});
