/**
 * Issue #2 acceptance: a single-node cluster from `k8ts server`, driven by the real
 * kubectl, running real containers under containerd. Runs as root (containerd, CNI).
 * Each step asserts what a user would see; the last step checks nothing is left behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { freePort, eventually, httpGet, k8ts, KUBECTL, kubectl, kubectlRaw, REPO, startServerProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';
import { createCriClient } from '../../src/kubelet/cri/cri-client.js';
import { containerdPaths } from '../../src/runtime/paths.js';


const sh = (cmd: string): string => { try { return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; } };

interface PodJson { metadata: { name: string; uid: string; labels?: Record<string, string> }; status: { phase: string; podIP?: string; containerStatuses?: Array<{ containerID?: string; state: Record<string, unknown> }> } }

describe('single-node cluster (issue #2)', { timeout: 900_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let kc: string;
  let flags: string[];
  let netnsBefore: string;
  const run = (args: string[], input?: string) => kubectl(kc, args, { input });
  const pods = async (selector: string): Promise<PodJson[]> => JSON.parse(await run(['get', 'pods', '-l', selector, '-o', 'json'])).items;
  const waitNodeReady = (timeoutMs: number) => eventually('node Ready', async () => {
    const out = await kubectlRaw(kc, ['get', 'nodes', '--no-headers']);
    return out.code === 0 && /\sReady\s/.test(out.stdout) ? out.stdout : undefined;
  }, timeoutMs, 100);

  before(async () => {
    netnsBefore = sh('ip netns list');
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
    const built = await k8ts(['images', 'build', '--data-dir', dataDir], 300_000);
    assert.equal(built.code, 0, built.stderr);
    flags = ['--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'e2e-node'];
    server = startServerProcess(dataDir, flags);
    kc = server.kubeconfig;
  });

  after(async () => {
    if (server) await stopServerProcess(server);
    const r = await k8ts(['killall', '--data-dir', dataDir]);
    if (r.code !== 0) console.error(r.stderr);
    if (process.env.K8TS_KEEP_E2E !== '1') rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. version, cluster-info, api-resources; node Ready within 10 s of start', async () => {
    await eventually('kubeconfig', () => { try { return readFileSync(kc, 'utf8'); } catch { return undefined; } }, 10_000, 50);
    await waitNodeReady(10_000 - (Date.now() - server.startedAt) + 2_000); // 10 s from start (+2 s slack for process spawn under tsx)
    const version = await run(['version', '-o', 'json']);
    assert.match(JSON.parse(version).serverVersion.gitVersion, /^v1\.32\./);
    assert.match(await run(['cluster-info']), /Kubernetes control plane is running at https:\/\/127\.0\.0\.1:/);
    const resources = await run(['api-resources']);
    for (const r of ['pods', 'deployments', 'replicasets', 'nodes', 'services', 'configmaps', 'secrets', 'leases', 'events', 'namespaces', 'serviceaccounts', 'endpoints']) {
      assert.match(resources, new RegExp(`^${r}\\s`, 'm'), `api-resources lists ${r}`);
    }
    assert.match(await run(['get', 'nodes']), /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\ne2e-node\s+Ready\s+control-plane/m);
    // The seeds' control-plane checks: component statuses, leader election leases, metrics.
    const cs = await eventually('components healthy', async () => { const o = await run(['get', 'componentstatuses']); return (o.match(/Healthy/g) ?? []).length === 3 ? o : undefined; }, 10_000);
    for (const c of ['scheduler', 'controller-manager', 'etcd-0']) assert.match(cs, new RegExp(`^${c}\\s+Healthy\\s+ok`, 'm'));
    assert.match(await run(['get', 'leases', '-n', 'kube-system']), /kube-controller-manager\s+\S+[\s\S]*kube-scheduler\s+\S+/);
    assert.match(await run(['get', '--raw', '/metrics']), /^apiserver_request_total\{/m);
    assert.match(await run(['explain', 'deployment.spec.strategy']), /FIELD: strategy <Object>[\s\S]*rollingUpdate/);
    // Ready=Unknown written over the node's status (as the node lifecycle controller marks a
    // silent node): the kubelet, watching its Node, posts a fresh status at its next heartbeat.
    await run(['patch', 'node', 'e2e-node', '--subresource=status', '--type=strategic', '-p',
      JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] } })]);
    await eventually('Ready again, without the unreachable taint', async () => {
      const n = JSON.parse(await run(['get', 'node', 'e2e-node', '-o', 'json'])) as { spec: { taints?: Array<{ key: string }> }; status: { conditions: Array<{ type: string; status: string }> } };
      const ready = n.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
      return ready && !(n.spec.taints ?? []).some((t) => t.key.startsWith('node.kubernetes.io/unreachable')) ? true : undefined;
    }, 25_000, 200);
  });

  let webPods: PodJson[] = [];
  it('2. apply a 3-replica web Deployment; rollout status; 3 Running pods with distinct IPs serving HTTP', async () => {
    await run(['apply', '-f', join(REPO, 'examples/web-deployment.yaml')]);
    await kubectl(kc, ['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    const wide = await run(['get', 'pods', '-o', 'wide', '-l', 'app=web']);
    assert.match(wide.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    const rows = wide.trim().split('\n').slice(1);
    assert.equal(rows.length, 3, wide);
    for (const row of rows) assert.match(row, /\s1\/1\s+Running\s+0\s+.*\s10\.244\.\d+\.\d+\s+e2e-node/);
    webPods = await pods('app=web');
    const ips = new Set(webPods.map((p) => p.status.podIP));
    assert.equal(ips.size, 3, `distinct IPs: ${[...ips]}`);
    for (const p of webPods) {
      const res = await eventually(`GET ${p.status.podIP}`, () => httpGet(`http://${p.status.podIP}:8080/`), 20_000);
      assert.equal(res.status, 200);
      assert.equal(res.body.trim(), `hello from ${p.metadata.name}`);
    }
    // Egress masquerade is one rule of the node's table, not an iptables chain per pod.
    assert.match(sh('nft list table ip k8ts-node'), /ip saddr 10\.244\.\d+\.0\/24 ip daddr != \{ 10\.244\.0\.0\/16, 224\.0\.0\.0\/4 \} masquerade/);
    assert.doesNotMatch(sh('iptables-save -t nat'), /name: \\"k8ts\\"/, 'no per-pod CNI masquerade chain');
  });

  it('3. logs, exec, port-forward and describe events', async () => {
    const name = webPods[0].metadata.name;
    assert.match(await run(['logs', name]), /serving \/www on :8080/);
    // kubectl exec: WebSocket through apiserver → kubelet → containerd's streaming server.
    assert.equal((await run(['exec', name, '--', 'cat', '/www/index.html'])).trim(), `hello from ${name}`);
    const failed = await kubectlRaw(kc, ['exec', name, '--', 'sh', '-c', 'exit 7']);
    assert.equal(failed.code, 7);
    assert.equal((await run(['exec', '-i', name, '--', 'sh'], 'echo from-stdin\n')).trim(), 'from-stdin');
    // kubectl port-forward: SPDY through apiserver → kubelet → containerd's streaming server.
    const { spawn } = await import('node:child_process');
    const local = await freePort();
    const pf = spawn(KUBECTL, ['port-forward', `pod/${name}`, `${local}:8080`], { env: { ...process.env, KUBECONFIG: kc } });
    try {
      const res = await eventually('port-forward serves', () => httpGet(`http://127.0.0.1:${local}/`).catch(() => undefined), 15_000);
      assert.equal(res.body.trim(), `hello from ${name}`);
    } finally { pf.kill(); }
    const described = await run(['describe', 'pod', name]);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.match(described, new RegExp(`\\s${reason}\\s`), `describe shows ${reason}:\n${described}`);
  });

  it('4. scale, replace a deleted pod, set image rolls a new ReplicaSet, delete removes all containers', async () => {
    await run(['scale', 'deployment/web', '--replicas=5']);
    await eventually('5 running', async () => (await pods('app=web')).filter((p) => p.status.phase === 'Running').length === 5, 60_000);
    const victim = (await pods('app=web'))[0].metadata.name;
    await run(['delete', 'pod', victim, '--wait=true']);
    await eventually('replacement', async () => {
      const ps = await pods('app=web');
      return ps.length === 5 && !ps.some((p) => p.metadata.name === victim) && ps.every((p) => p.status.phase === 'Running');
    }, 60_000);
    const rsBefore = await run(['get', 'rs', '-l', 'app=web', '-o', 'name']);
    await run(['set', 'image', 'deployment/web', 'httpd=busybox:latest']);
    await kubectl(kc, ['rollout', 'status', 'deployment/web', '--timeout=120s'], { timeoutMs: 130_000 });
    const rsAfter = await run(['get', 'rs', '-l', 'app=web', '-o', 'name']);
    assert.ok(rsAfter.trim().split('\n').length >= 2, `a new ReplicaSet: before ${rsBefore} after ${rsAfter}`);
    // rollout undo goes back to the first ReplicaSet (no third one) as revision 3.
    await run(['rollout', 'undo', 'deployment/web']);
    await kubectl(kc, ['rollout', 'status', 'deployment/web', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal((await run(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim().split('\n').length, 2);
    assert.match(await run(['rollout', 'history', 'deployment/web']), /^2\s[\s\S]*^3\s/m);
    const uids = new Set((await pods('app=web')).map((p) => p.metadata.uid));
    await run(['delete', 'deployment', 'web']);
    await eventually('no web pods', async () => (await pods('app=web')).length === 0, 90_000);
    const cri = createCriClient(containerdPaths(dataDir).address);
    try {
      await eventually('CRI lists none of their sandboxes/containers', async () => {
        const sandboxes = await cri.listPodSandbox({});
        const containers = await cri.listContainers({});
        const ours = [...sandboxes, ...containers].filter((x: { labels?: Record<string, string> }) => uids.has(x.labels?.['io.kubernetes.pod.uid'] ?? ''));
        return ours.length === 0;
      }, 60_000);
    } finally { cri.close(); }
  });

  it('5. run --restart=Never: Completed with log hello; exit 1 ends Error', async () => {
    await run(['run', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hello']);
    await eventually('once Succeeded', async () => JSON.parse(await run(['get', 'pod', 'once', '-o', 'json'])).status.phase === 'Succeeded', 60_000);
    assert.match(await run(['get', 'pod', 'once']), /once\s+0\/1\s+Completed\s+0/);
    assert.equal((await run(['logs', 'once'])).trim(), 'hello');
    await run(['run', 'fails', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'exit 1']);
    await eventually('fails Failed', async () => JSON.parse(await run(['get', 'pod', 'fails', '-o', 'json'])).status.phase === 'Failed', 60_000);
    assert.match(await run(['get', 'pod', 'fails']), /fails\s+0\/1\s+Error\s+0/);
    await run(['delete', 'pod', 'once', 'fails']);
  });

  it('5b. a crashing container restarts with CrashLoopBackOff; a container ignoring SIGTERM is killed after the grace period', async () => {
    await run(['run', 'crash', '--image=busybox', '--restart=Always', '--', 'sh', '-c', 'echo boom; exit 3']);
    await eventually('restarted and backing off', async () => {
      const p = JSON.parse(await run(['get', 'pod', 'crash', '-o', 'json']));
      const cs = p.status.containerStatuses?.[0];
      return cs && cs.restartCount >= 1 && cs.state.waiting?.reason === 'CrashLoopBackOff' && cs.lastState.terminated?.exitCode === 3;
    }, 60_000);
    assert.match(await run(['get', 'pod', 'crash']), /crash\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\S+ ago\)/);
    assert.match(await run(['logs', 'crash', '--previous']), /boom/);
    await run(['delete', 'pod', 'crash', '--grace-period=1']);
    // PID 1 ignores SIGTERM without a handler: only SIGKILL after the grace period ends it.
    await run(['run', 'stubborn', '--image=busybox', '--restart=Never', '--', 'sleep', '1000']);
    await eventually('stubborn Running', async () => JSON.parse(await run(['get', 'pod', 'stubborn', '-o', 'json'])).status.phase === 'Running', 60_000);
    const t0 = Date.now();
    await kubectl(kc, ['delete', 'pod', 'stubborn', '--grace-period=3'], { timeoutMs: 60_000 });
    const took = Date.now() - t0;
    assert.ok(took >= 2_500 && took < 20_000, `deleted after ${took} ms`);
    const described = await run(['get', 'events', '--field-selector', 'involvedObject.name=stubborn,reason=Killing', '-o', 'name']);
    assert.notEqual(described.trim(), '');
  });

  it('6. get -w prints changes as they happen; -o yaml / -o json feed back to apply', async () => {
    const { spawn } = await import('node:child_process');
    await run(['create', 'namespace', 'watched']); // typed client: a protobuf body
    const watcher = spawn('/usr/bin/kubectl', ['get', 'pods', '-w', '-n', 'watched', '-v=6'], { env: { ...process.env, KUBECONFIG: kc } });
    let out = '';
    let err = '';
    watcher.stdout.on('data', (c) => { out += c; });
    watcher.stderr.on('data', (c) => { err += c; });
    try {
      await eventually('the watch is established', () => /GET https:\S+\/namespaces\/watched\/pods\?\S*watch=true\S* 200 OK/.test(err), 15_000, 50);
      await run(['apply', '-n', 'watched', '-f', join(REPO, 'examples/pod.yaml')]);
      await eventually('watch shows ticker Running', () => /ticker\s+1\/1\s+Running/.test(out), 60_000);
      assert.match(out, /ticker\s+0\/1\s+(Pending|ContainerCreating)/, out);
    } finally { watcher.kill(); }
    await run(['apply', '-f', join(REPO, 'examples/pod.yaml')]);
    await eventually('ticker Ready', async () => /ticker\s+1\/1\s+Running/.test(await run(['get', 'pod', 'ticker'])), 60_000);
    const asYaml = await run(['get', 'pod', 'ticker', '-o', 'yaml']);
    assert.match(await run(['apply', '-f', '-'], asYaml), /pod\/ticker (configured|unchanged)/);
    const asJson = JSON.parse(await run(['get', 'pod', 'ticker', '-o', 'json']));
    asJson.metadata.labels.extra = 'yes';
    assert.match(await run(['apply', '-f', '-'], JSON.stringify(asJson)), /pod\/ticker configured/);
    assert.equal(JSON.parse(await run(['get', 'pod', 'ticker', '-o', 'json'])).metadata.labels.extra, 'yes');
    await run(['apply', '-f', join(REPO, 'examples/configmap-env.yaml')]);
    await eventually('greeter done', async () => JSON.parse(await run(['get', 'pod', 'greeter', '-o', 'json'])).status.phase === 'Succeeded', 60_000);
    assert.equal((await run(['logs', 'greeter'])).trim(), 'hello: hello, world');
  });

  it('7. bad input gets Status errors and the server keeps serving', async () => {
    const noContainers = await kubectlRaw(kc, ['create', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: { containers: [] } }) });
    assert.notEqual(noContainers.code, 0);
    assert.match(noContainers.stderr, /is invalid: spec\.containers: Required value/);
    const badName = await kubectlRaw(kc, ['create', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }) });
    assert.match(badName.stderr, /metadata\.name: Invalid value: "Bad_Name"/);
    const raw422 = await kubectlRaw(kc, ['create', '--raw', '/api/v1/namespaces/default/pods', '-f', '-'], { input: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[]}}' });
    assert.match(raw422.stderr, /\(Invalid\)|is invalid/);
    const malformed = await kubectlRaw(kc, ['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', '-'], { input: '{"apiVersion": "v1", "kind": ' });
    assert.notEqual(malformed.code, 0);
    assert.match(malformed.stderr + malformed.stdout, /BadRequest|400|Bad Request/i);
    const unknownResource = await kubectlRaw(kc, ['get', 'frobnicators']);
    assert.match(unknownResource.stderr, /the server doesn't have a resource type "frobnicators"/);
    const unknownObject = await kubectlRaw(kc, ['get', 'pod', 'does-not-exist']);
    assert.match(unknownObject.stderr, /pods "does-not-exist" not found/);
    await run(['create', 'configmap', 'cc', '--from-literal=a=1']); // typed client: a protobuf body
    const cm = JSON.parse(await run(['get', 'configmap', 'cc', '-o', 'json']));
    await run(['patch', 'configmap', 'cc', '--type=merge', '-p', '{"data":{"a":"2"}}']);
    cm.data.a = '3';
    const stale = await kubectlRaw(kc, ['replace', '-f', '-'], { input: JSON.stringify(cm) });
    assert.match(stale.stderr, /Operation cannot be fulfilled on configmaps "cc": the object has been modified/);
    assert.match(await run(['get', 'configmap', 'cc', '-o', 'jsonpath={.data.a}']), /^2$/);
    assert.match(await run(['get', '--raw', '/readyz']), /ok/);
  });

  it('8. restart on the same data dir keeps objects and adopts running pods', async () => {
    await run(['apply', '-f', join(REPO, 'examples/web-deployment.yaml')]);
    await kubectl(kc, ['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 100_000 });
    const before = await pods('app=web');
    const ids = before.map((p) => `${p.metadata.uid}=${p.status.containerStatuses?.[0]?.containerID}`).sort();
    assert.equal(await stopServerProcess(server), 0);
    server = startServerProcess(dataDir, flags);
    await waitNodeReady(10_000);
    await eventually('same pods, same containers, Running', async () => {
      const now = await pods('app=web');
      const nowIds = now.map((p) => `${p.metadata.uid}=${p.status.containerStatuses?.[0]?.containerID}`).sort();
      return JSON.stringify(nowIds) === JSON.stringify(ids) && now.every((p) => p.status.phase === 'Running');
    }, 30_000);
    for (const p of before) assert.equal((await httpGet(`http://${p.status.podIP}:8080/`)).status, 200);
    assert.match(await run(['get', 'configmap', 'cc', '-o', 'jsonpath={.data.a}']), /^2$/);
  });

  it('9. killall leaves nothing behind', async () => {
    assert.equal(await stopServerProcess(server), 0);
    const r = await k8ts(['killall', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    let pids = '';
    try { pids = execFileSync('pgrep', ['-f', `containerd.*${dataDir}`], { encoding: 'utf8' }); } catch { /* pgrep exits 1 when nothing matches */ }
    assert.equal(pids.trim(), '', 'no containerd or shim of ours');
    assert.equal(sh('ip -o link show k8ts0'), '', 'bridge removed');
    assert.doesNotMatch(sh('ip route'), /k8ts0/, 'routes removed');
    assert.equal(sh('ip netns list'), netnsBefore, 'no network namespace left');
    assert.doesNotMatch(sh('mount'), new RegExp(dataDir), 'no mounts left');
    assert.doesNotMatch(sh('iptables-save -t nat'), /name: \\"k8ts\\"|CNI-HOSTPORT-/, 'no CNI nat rules of ours left');
    assert.doesNotMatch(sh('nft list tables'), /k8ts/, 'no nft table of ours left');
  });
});
