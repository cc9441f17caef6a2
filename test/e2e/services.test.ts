/**
 * Issue #6 acceptance, Services: ClusterIP, NodePort and LoadBalancer Services answered
 * through kube-proxy's nftables rules, the `kubernetes` Service from inside a pod,
 * readiness taking an endpoint out of the EndpointSlice and the rules, and nothing left
 * behind. Real kubectl, real containerd, real nft; only loopback and the node's own
 * bridge are addressed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, eventually, httpGet, k8ts, kubectl, kubectlRaw, startServerProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';

const sh = (cmd: string): string => { try { return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; } };

const BACKEND = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend}
spec:
  replicas: 3
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec:
      containers:
      - name: httpd
        image: busybox
        command: ["sh", "-c", "mkdir -p /w && echo \\"backend $(hostname)\\" > /w/index.html && exec httpd -f -p 8080 -h /w"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: backend}
spec:
  selector: {app: backend}
  ports: [{name: http, port: 8080, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: backend-np}
spec:
  type: NodePort
  selector: {app: backend}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: backend-lb}
spec:
  type: LoadBalancer
  selector: {app: backend}
  ports: [{name: http, port: 18080, targetPort: 8080}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: pod-reader}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pod-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: pod-reader, namespace: default}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend}
spec:
  serviceAccountName: pod-reader
  containers:
  - {name: c, image: busybox, command: ["sleep", "3600"]}
`;

const READY_GATE = `
apiVersion: v1
kind: Pod
metadata: {name: flaky, labels: {app: flaky}}
spec:
  containers:
  - name: httpd
    image: busybox
    command: ["sh", "-c", "touch /tmp/ready; mkdir -p /w && echo flaky > /w/index.html && exec httpd -f -p 8080 -h /w"]
    readinessProbe: {exec: {command: ["cat", "/tmp/ready"]}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: flaky}
spec:
  selector: {app: flaky}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('Services through kube-proxy (issue #6)', { timeout: 600_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let kc: string;
  const run = (args: string[], input?: string) => kubectl(kc, args, { input });
  const json = async <T = any>(args: string[]): Promise<T> => JSON.parse(await run([...args, '-o', 'json']));
  const inPod = (pod: string, cmd: string) => kubectlRaw(kc, ['exec', pod, '--', 'sh', '-c', cmd], { timeoutMs: 30_000 });

  // Container cgroups (cgroupfs driver) present before this cluster: none of its own may stay.
  const cgroups = (): string[] => { try { return readdirSync('/sys/fs/cgroup/memory/k8s.io'); } catch { return []; } };
  let cgroupsBefore: string[] = [];

  before(async () => {
    cgroupsBefore = cgroups();
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-svc-'));
    server = startServerProcess(dataDir, ['--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'svc-node']);
    kc = server.kubeconfig;
    await eventually('node Ready', async () => { const o = await kubectlRaw(kc, ['get', 'nodes', '--no-headers']); return o.code === 0 && /\sReady\s/.test(o.stdout); }, 120_000, 200);
  });

  after(async () => {
    if (server) await stopServerProcess(server);
    await k8ts(['killall', '--data-dir', dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  let nodeIP = '';
  it('the node\'s InternalIP is its bridge gateway; the kubernetes Service points there', async () => {
    const node = await json(['get', 'node', 'svc-node']);
    nodeIP = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
    assert.match(nodeIP, /^10\.244\.\d+\.1$/);
    assert.match(sh('ip -o -4 addr show dev k8ts0'), new RegExp(`inet ${nodeIP.replace(/\./g, '\\.')}/`));
    const ep = await eventually('kubernetes endpoints', async () => { const o = await run(['get', 'endpoints', 'kubernetes', '--no-headers']); return o.includes(nodeIP) ? o : undefined; }, 10_000);
    assert.match(ep, new RegExp(`^kubernetes\\s+${nodeIP.replace(/\./g, '\\.')}:\\d+`));
    const slice = await json(['get', 'endpointslice', 'kubernetes']);
    assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'kubernetes');
    assert.deepEqual(slice.endpoints.map((e: { addresses: string[] }) => e.addresses[0]), [nodeIP]);
  });

  let backends: string[] = [];
  it('a ClusterIP Service spreads requests over its 3 backends, from a pod and from the host', async () => {
    await run(['apply', '-f', '-'], BACKEND);
    await kubectl(kc, ['rollout', 'status', 'deployment/backend', '--timeout=90s'], { timeoutMs: 100_000 });
    await eventually('frontend running', async () => (await json(['get', 'pod', 'frontend'])).status.phase === 'Running', 60_000);
    const slices = await eventually('3 ready endpoints', async () => {
      const list = (await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=backend'])).items;
      const ready = list.flatMap((s: any) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready));
      return ready.length === 3 ? list : undefined;
    }, 30_000);
    assert.equal(slices[0].metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.match(await run(['get', 'endpoints', 'backend', '--no-headers']), /^backend\s+(10\.244\.\d+\.\d+:8080,?){3}/);
    backends = (await json(['get', 'pods', '-l', 'app=backend'])).items.map((p: any) => `backend ${p.metadata.name}`).sort();
    const clusterIP = (await json(['get', 'svc', 'backend'])).spec.clusterIP;
    const fromPod = await inPod('frontend', `for i in $(seq 1 30); do wget -qO- http://${clusterIP}:8080/; done`);
    assert.equal(fromPod.code, 0, fromPod.stderr);
    assert.deepEqual([...new Set(fromPod.stdout.trim().split('\n'))].sort(), backends, 'all 3 backends answered the pod');
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add((await httpGet(`http://${clusterIP}:8080/`)).body.trim());
    assert.deepEqual([...seen].sort(), backends, 'all 3 backends answered the host');
  });

  it('the NodePort answers at 127.0.0.1 and at the node\'s InternalIP; a LoadBalancer gets an address that answers', async () => {
    const nodePort = (await json(['get', 'svc', 'backend-np'])).spec.ports[0].nodePort;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
    for (const host of ['127.0.0.1', nodeIP]) {
      const res = await httpGet(`http://${host}:${nodePort}/`);
      assert.equal(res.status, 200);
      assert.ok(backends.includes(res.body.trim()), res.body);
    }
    const fromPod = await inPod('frontend', `wget -qO- http://${nodeIP}:${nodePort}/`);
    assert.ok(backends.includes(fromPod.stdout.trim()), `${fromPod.stdout}${fromPod.stderr}`);
    const row = await eventually('LoadBalancer address', async () => {
      const o = await run(['get', 'svc', 'backend-lb', '--no-headers']);
      return /<pending>/.test(o) ? undefined : o;
    }, 20_000);
    assert.match(row, new RegExp(`^backend-lb\\s+LoadBalancer\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+${nodeIP.replace(/\./g, '\\.')}\\s+18080:\\d+/TCP`));
    const res = await httpGet(`http://${nodeIP}:18080/`);
    assert.ok(backends.includes(res.body.trim()), res.body);
    const lb = await json(['get', 'svc', 'backend-lb']);
    assert.ok(lb.metadata.finalizers.includes('service.kubernetes.io/load-balancer-cleanup'));
  });

  it('a pod reaches the apiserver through the kubernetes Service', async () => {
    const r = await inPod('frontend', 'wget -qO- --no-check-certificate https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/version');
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).gitVersion, /^v1\.32\./);
  });

  it('cluster DNS: the k8ts-dns pods run in kube-system; Service names resolve from a pod (A, SRV, PTR, search paths, headless per-pod names)', async () => {
    const row = await eventually('dns pod ready', async () => {
      const o = await run(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--no-headers']);
      return /^k8ts-dns-\S+\s+1\/1\s+Running\s/m.test(o) ? o : undefined;
    }, 90_000, 500);
    assert.match(await run(['get', 'svc', '-n', 'kube-system', 'kube-dns', '--no-headers']), /^kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP/);
    const resolv = await inPod('frontend', 'cat /etc/resolv.conf');
    assert.match(resolv.stdout, /nameserver 10\.96\.0\.10/);
    assert.match(resolv.stdout, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    assert.match(resolv.stdout, /options ndots:5/);
    const clusterIP = (await json(['get', 'svc', 'backend'])).spec.clusterIP;
    const a = await inPod('frontend', 'nslookup backend.default.svc.cluster.local.');
    assert.match(a.stdout, new RegExp(`Name:\\s+backend\\.default\\.svc\\.cluster\\.local\\s+Address:\\s+${clusterIP.replace(/\./g, '\\.')}`), a.stdout + a.stderr);
    const srv = await inPod('frontend', 'nslookup -type=SRV _http._tcp.backend.default.svc.cluster.local.');
    assert.match(srv.stdout, /_http\._tcp\.backend\.default\.svc\.cluster\.local\s+service = 0 \d+ 8080 backend\.default\.svc\.cluster\.local/, srv.stdout + srv.stderr);
    const ptr = await inPod('frontend', `nslookup ${clusterIP}`);
    assert.match(ptr.stdout, /name = backend\.default\.svc\.cluster\.local/, ptr.stdout + ptr.stderr);
    const nx = await inPod('frontend', 'nslookup nothing-here.default.svc.cluster.local.');
    assert.match(nx.stdout + nx.stderr, /NXDOMAIN/);
    // Search paths and ndots:5: the short name, the namespaced name and the full name all reach the backends.
    for (const url of ['http://backend:8080/', 'http://backend.default:8080/', 'http://backend.default.svc.cluster.local:8080/']) {
      const r = await inPod('frontend', `wget -qO- ${url}`);
      assert.ok(backends.includes(r.stdout.trim()), `${url}: ${r.stdout}${r.stderr}`);
    }
    const api = await inPod('frontend', 'wget -qO- --no-check-certificate https://kubernetes.default.svc/version');
    assert.match(api.stdout, /"gitVersion":\s*"v1\.32\./, api.stderr);
    // In-cluster API access as client-go does it: the mounted bound token (busybox's wget does not check certificates).
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const self = await inPod('frontend', `wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${sa}/token)" https://kubernetes.default.svc/api/v1/namespaces/$(cat ${sa}/namespace)/pods/frontend`);
    assert.equal(JSON.parse(self.stdout).metadata.name, 'frontend', self.stderr);
    // Exactly what the pod's Role grants: get on pods, not list on Secrets.
    const secrets = await inPod('frontend', `wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${sa}/token)" https://kubernetes.default.svc/api/v1/namespaces/default/secrets`);
    assert.notEqual(secrets.code, 0, 'list secrets: 403');
    assert.match(secrets.stderr, /403/);
    const anonymous = await inPod('frontend', 'wget -qO- --no-check-certificate https://kubernetes.default.svc/api/v1/namespaces/default/pods');
    assert.notEqual(anonymous.code, 0, 'no token: system:anonymous, refused by RBAC (403)');
    // A headless Service: per-pod names from hostname/subdomain.
    await run(['apply', '-f', '-'], `
apiVersion: v1
kind: Service
metadata: {name: hl}
spec:
  clusterIP: None
  selector: {app: hl}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: hl-0, labels: {app: hl}}
spec:
  hostname: web-0
  subdomain: hl
  containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`);
    const hlIP = await eventually('hl-0 running', async () => { const p = await json(['get', 'pod', 'hl-0']); return p.status.phase === 'Running' && p.status.podIP; }, 60_000);
    const per = await eventually('per-pod name', async () => {
      const r = await inPod('frontend', 'nslookup web-0.hl.default.svc.cluster.local.');
      return r.stdout.includes(hlIP) ? r : undefined;
    }, 15_000, 500);
    assert.match(per.stdout, /Name:\s+web-0\.hl\.default\.svc\.cluster\.local/);
    const headless = await inPod('frontend', 'nslookup hl.default.svc.cluster.local.');
    assert.match(headless.stdout, new RegExp(`Address:\\s+${hlIP.replace(/\./g, '\\.')}`));
    // The DNS pod's log shows its start line and the queries.
    const pod = /^(k8ts-dns-\S+)/m.exec(row)![1];
    const logs = await run(['logs', '-n', 'kube-system', pod]);
    assert.match(logs, /backend\.default\.svc\.cluster\.local/);
  });

  it('a Service without ready endpoints rejects at once; an unready pod leaves the EndpointSlice and the rules within 2 s of its failed probe', async () => {
    await run(['apply', '-f', '-'], READY_GATE);
    const podIP = await eventually('flaky ready', async () => {
      const p = await json(['get', 'pod', 'flaky']);
      return p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? p.status.podIP as string : undefined;
    }, 60_000);
    const clusterIP = (await json(['get', 'svc', 'flaky'])).spec.clusterIP;
    // One endpoint: `dnat to ip:port`; several: a `numgen random` map of `ip . port`.
    const inRules = (): boolean => new RegExp(`dnat (ip )?to ${podIP.replace(/\./g, '\\.')}:8080|\\s${podIP.replace(/\./g, '\\.')} \\. 8080`).test(sh('nft list table ip k8ts-proxy'));
    await eventually('flaky in the rules', inRules, 5_000, 50);
    assert.equal((await httpGet(`http://${clusterIP}/`)).body.trim(), 'flaky');
    const rm = await inPod('flaky', 'rm /tmp/ready');
    assert.equal(rm.code, 0);
    const t0 = Date.now();
    // The probe runs every second and fails once: the endpoint must be out of the slice and the table within 1 s + 2 s.
    await eventually('endpoint not ready in the slice', async () => {
      const list = (await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=flaky'])).items;
      return list.flatMap((s: any) => s.endpoints ?? []).every((e: any) => e.conditions?.ready === false);
    }, 3_000, 50);
    await eventually('endpoint out of the rules', () => !inRules(), 3_000 - (Date.now() - t0), 50);
    const started = Date.now();
    await assert.rejects(httpGet(`http://${clusterIP}/`), /ECONNREFUSED/);
    assert.ok(Date.now() - started < 1_000, 'rejected, not timed out');
    const fromPod = await inPod('frontend', `wget -qO- http://${clusterIP}/ 2>&1`);
    assert.match(fromPod.stdout, /Connection refused/);
  });

  it('stopping and killall leave no nft table, bridge, route or cgroup behind', async () => {
    assert.equal(await stopServerProcess(server), 0);
    const r = await k8ts(['killall', '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(sh('nft list tables'), /k8ts/);
    assert.equal(sh('ip -o link show k8ts0'), '');
    assert.doesNotMatch(sh('ip route'), /k8ts0/);
    assert.deepEqual(cgroups().filter((c) => !cgroupsBefore.includes(c) && /^[0-9a-f]{64}$/.test(c)), [], 'no container cgroup of ours left');
  });
});
