import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerSecurityContext, needsImageUser } from './security-context.js';
import { ConfigError } from './env.js';

const pod = (psc: Record<string, unknown>, csc: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
  spec: { securityContext: psc, containers: [{ name: 'c', image: 'busybox', securityContext: csc }] },
}) as never;
const c = (p: { spec: { containers: unknown[] } }) => p.spec.containers[0] as never;

test('the container\'s fields over the pod\'s; fsGroup and supplementalGroups as extra groups; no_new_privs only when escalation is refused', () => {
  const p = pod({ runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] }, { runAsUser: 1001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } });
  assert.deepEqual(containerSecurityContext(p, c(p), undefined), {
    privileged: false, runAsUser: { value: 1001 }, runAsGroup: { value: 3000 }, readonlyRootfs: true,
    capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] }, noNewPrivs: true, supplementalGroups: [2000, 4000],
  });
  const q = pod({});
  assert.equal(containerSecurityContext(q, c(q), undefined).noNewPrivs, false);
});

test('runAsNonRoot: refused for uid 0 or an image running as root, with upstream\'s messages', () => {
  const root = pod({ runAsNonRoot: true, runAsUser: 0 });
  assert.throws(() => containerSecurityContext(root, c(root), undefined), (e: Error) => e instanceof ConfigError && e.message === 'container\'s runAsUser breaks non-root policy (pod: "p_ns(u1)", container: c)');
  const image = pod({ runAsNonRoot: true });
  assert.ok(needsImageUser(image, c(image)));
  assert.throws(() => containerSecurityContext(image, c(image), 0), /container has runAsNonRoot and image will run as root \(pod: "p_ns\(u1\)", container: c\)/);
  assert.equal(containerSecurityContext(image, c(image), 1000).runAsUser, undefined);
  const ok = pod({ runAsNonRoot: true, runAsUser: 1000 });
  assert.ok(!needsImageUser(ok, c(ok)));
  assert.deepEqual(containerSecurityContext(ok, c(ok), undefined).runAsUser, { value: 1000 });
});
