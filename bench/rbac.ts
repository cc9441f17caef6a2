/**
 * Benchmark of issue #8's authorization cost (`npx tsx bench/rbac.ts [--requests 20000]`;
 * no root): an in-process apiserver (SQLite in memory, watch cache) with
 * `--authorization-mode Node,RBAC`, the bootstrap policy, 200 extra ClusterRoles (5
 * rules each) and 1,000 RoleBindings over 20 namespaces (users, groups and
 * ServiceAccounts as subjects), all written through the API. Then the registry's
 * authorizer — what every request pays — is asked `--requests` times for a random mix:
 * 40 % allowed by a RoleBinding, 20 % allowed by a ClusterRoleBinding (a system
 * component), 40 % denied (the whole index searched). Prints p50/p99/max in ms and a
 * Markdown row for BENCHMARKS.md. Upstream has no published figure to compare with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensurePki } from '../src/pki/pki.js';
import { newCacher } from '../src/storage/cacher/cacher.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { createRegistry } from '../src/apiserver/registry/index.js';
import { builtinResourceTable } from '../src/api/builtin-resources.js';
import { startApiServer } from '../src/apiserver/server.js';
import { createClient } from '../src/client/rest-client.js';
import { reconcileBootstrapPolicy } from '../src/apiserver/authz/bootstrap-policy/reconcile.js';
import type { Attributes } from '../src/apiserver/authz/authorizer.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = arg('requests', 20_000);
const NAMESPACES = 20;
const CLUSTER_ROLES = 200;
const ROLE_BINDINGS = 1000;
const RESOURCES = ['pods', 'services', 'configmaps', 'secrets', 'deployments', 'jobs', 'events', 'endpoints', 'ingresses', 'leases'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-rbac-'));
  const pki = await ensurePki(join(dir, 'tls'));
  const storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
  const registry = createRegistry(storage, { table: builtinResourceTable(), authorizationModes: ['Node', 'RBAC'] });
  const api = await startApiServer({ registry, pki, port: 0, log: () => {} });
  try {
    const client = createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    await reconcileBootstrapPolicy(client);
    const rbac = (resource: string) => client.resource({ group: 'rbac.authorization.k8s.io', version: 'v1', resource });
    for (let n = 0; n < NAMESPACES; n++) await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}` } });
    for (let i = 0; i < CLUSTER_ROLES; i++) {
      const rules = Array.from({ length: 5 }, (_, j) => ({ apiGroups: ['', 'apps', 'batch'], resources: [RESOURCES[(i + j) % RESOURCES.length]], verbs: VERBS.slice(0, 1 + ((i + j) % VERBS.length)) }));
      await rbac('clusterroles').create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `bench-role-${i}` }, rules } as never);
    }
    for (let i = 0; i < ROLE_BINDINGS; i++) {
      const ns = `ns${i % NAMESPACES}`;
      const subjects = [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `team-${i % 50}` },
        { kind: 'ServiceAccount', name: `sa-${i}`, namespace: ns },
      ];
      await rbac('rolebindings').create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `bench-binding-${i}`, namespace: ns }, subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `bench-role-${i % CLUSTER_ROLES}` } } as never);
    }
    const attrsFor = (k: number): Attributes => {
      const i = Math.floor(Math.random() * ROLE_BINDINGS);
      const ns = `ns${i % NAMESPACES}`;
      const resource = RESOURCES[Math.floor(Math.random() * RESOURCES.length)];
      const verb = VERBS[Math.floor(Math.random() * VERBS.length)];
      if (k % 5 < 2) return { user: { username: `user-${i}`, groups: ['system:authenticated'] }, verb: 'get', resourceRequest: true, namespace: ns, apiGroup: '', resource: RESOURCES[i % CLUSTER_ROLES % RESOURCES.length], name: 'x' };
      if (k % 5 === 2) return { user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] }, verb: 'list', resourceRequest: true, namespace: ns, apiGroup: '', resource: 'pods' };
      return { user: { username: `stranger-${i}`, groups: [`other-${i % 7}`, 'system:authenticated'] }, verb, resourceRequest: true, namespace: ns, apiGroup: 'apps', resource };
    };
    // Warm-up (JIT, caches), then the measured run.
    for (let k = 0; k < 2000; k++) await registry.authorizer.authorize(attrsFor(k));
    const ms: number[] = [];
    const decisions: Record<string, number> = {};
    for (let k = 0; k < REQUESTS; k++) {
      const a = attrsFor(k);
      const t0 = performance.now();
      const r = await registry.authorizer.authorize(a);
      ms.push(performance.now() - t0);
      decisions[r.decision] = (decisions[r.decision] ?? 0) + 1;
    }
    const summary = { requests: REQUESTS, clusterRoles: CLUSTER_ROLES, roleBindings: ROLE_BINDINGS, decisions, p50: round(pct(ms, 50)), p99: round(pct(ms, 99)), max: round(Math.max(...ms), 3) };
    console.log(JSON.stringify(summary));
    console.log(`| authorization per request, ${ROLE_BINDINGS} RoleBindings + ${CLUSTER_ROLES} ClusterRoles (+ bootstrap policy), p50 / p99 of ${REQUESTS} | ${summary.p50} / ${summary.p99} ms | goal p99 ≤ 0.1 ms | ${round(summary.p99 / 0.1, 2)}× goal |`);
  } finally {
    await api.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
