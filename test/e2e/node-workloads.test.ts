/**
 * Issue #6 acceptance, the node: manifests of the Kubernetes documentation's tasks run
 * unchanged but for the image (busybox), the container environment (ConfigMap volume
 * updates, Secret env, shared emptyDir, memory limit → OOMKilled), and the kubelet API
 * through kubectl (exec -it on a pseudo-terminal, cp both ways, logs -f / --previous).
 * Real kubectl, real containerd.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { ensurePki } from '../../src/pki/pki.js';
import { tlsDir } from '../../src/server/data-dir.js';
import { freePort, eventually, httpGet, k8ts, KUBECTL, kubectl, kubectlRaw, startServerProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';


// https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-initialization/ (image: busybox)
const INIT_CONTAINER = `
apiVersion: v1
kind: Pod
metadata:
  name: init-demo
spec:
  containers:
  - name: nginx
    image: busybox
    command: ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]
    ports:
    - containerPort: 80
    volumeMounts:
    - name: workdir
      mountPath: /usr/share/nginx/html
  initContainers:
  - name: install
    image: busybox
    command:
    - sh
    - -c
    - "echo '<html>installed by the init container</html>' > /work-dir/index.html"
    volumeMounts:
    - name: workdir
      mountPath: "/work-dir"
  dnsPolicy: Default
  volumes:
  - name: workdir
    emptyDir: {}
`;

// https://kubernetes.io/docs/tasks/inject-data-application/downward-api-volume-expose-pod-information/
const DOWNWARD_API = `
apiVersion: v1
kind: Pod
metadata:
  name: kubernetes-downwardapi-volume-example
  labels:
    zone: us-est-coast
    cluster: test-cluster1
    rack: rack-22
  annotations:
    build: two
    builder: john-doe
spec:
  containers:
    - name: client-container
      image: busybox
      command: ["sh", "-c"]
      args:
      - while true; do
          if [[ -e /etc/podinfo/labels ]]; then
            echo -en '\\n\\n'; cat /etc/podinfo/labels; fi;
          if [[ -e /etc/podinfo/annotations ]]; then
            echo -en '\\n\\n'; cat /etc/podinfo/annotations; fi;
          sleep 5;
        done;
      volumeMounts:
        - name: podinfo
          mountPath: /etc/podinfo
  volumes:
    - name: podinfo
      downwardAPI:
        items:
          - path: "labels"
            fieldRef:
              fieldPath: metadata.labels
          - path: "annotations"
            fieldRef:
              fieldPath: metadata.annotations
`;

// https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
const DEPENDENT_ENVARS = `
apiVersion: v1
kind: Pod
metadata:
  name: dependent-envars-demo
spec:
  containers:
    - name: dependent-envars-demo
      args:
        - while true; do echo -en '\\n'; printf UNCHANGED_REFERENCE=$UNCHANGED_REFERENCE'\\n'; printf SERVICE_ADDRESS=$SERVICE_ADDRESS'\\n';printf ESCAPED_REFERENCE=$ESCAPED_REFERENCE'\\n'; sleep 30; done;
      command:
        - sh
        - -c
      image: busybox
      env:
        - name: SERVICE_PORT
          value: "80"
        - name: SERVICE_IP
          value: "172.17.0.1"
        - name: UNCHANGED_REFERENCE
          value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
        - name: PROTOCOL
          value: "https"
        - name: SERVICE_ADDRESS
          value: "$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
        - name: ESCAPED_REFERENCE
          value: "$$(PROTOCOL)://$(SERVICE_IP):$(SERVICE_PORT)"
`;

// https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/ (image: busybox)
const LIVENESS_EXEC = `
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`;

// A liveness probe that always fails: each kill is followed by a longer back-off.
const LIVENESS_FAILING = `
apiVersion: v1
kind: Pod
metadata: {name: liveness-fail}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox
    command: ["sleep", "3600"]
    livenessProbe: {exec: {command: ["false"]}, periodSeconds: 1, failureThreshold: 1}
`;

const ENVIRONMENT = `
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {greeting: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {password: s3cr3t}
---
apiVersion: v1
kind: Pod
metadata: {name: env-demo}
spec:
  containers:
  - name: writer
    image: busybox
    command: ["sh", "-c", "echo from-writer > /shared/note; sleep 3600"]
    env:
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: app-secret, key: password}}
    volumeMounts:
    - {name: shared, mountPath: /shared}
    - {name: config, mountPath: /etc/config}
  - name: reader
    image: busybox
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: shared, mountPath: /data}
  volumes:
  - {name: shared, emptyDir: {}}
  - {name: config, configMap: {name: app-config}}
---
apiVersion: v1
kind: Pod
metadata: {name: memory-hog}
spec:
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox
    command: ["tail", "/dev/zero"]
    resources: {limits: {memory: 32Mi}}
`;

// Sidecar containers (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/):
// the sidecar starts first and must have started (its startup probe: the log file exists)
// before the next init container runs, which checks for that file; it keeps running beside
// the app and restarts when it exits (here when the app asks it to, through the volume).
const SIDECAR = `
apiVersion: v1
kind: Pod
metadata: {name: sidecar-demo}
spec:
  initContainers:
  - name: logshipper
    image: busybox
    restartPolicy: Always
    command: ["sh", "-c", "echo started >> /shared/log; while [ ! -f /shared/stop ]; do sleep 0.2; done; rm /shared/stop; exit 1"]
    startupProbe: {exec: {command: ["test", "-f", "/shared/log"]}, periodSeconds: 1}
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: check
    image: busybox
    command: ["test", "-f", "/shared/log"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  volumes: [{name: shared, emptyDir: {}}]
`;

// A Job-like pod: restartPolicy Never, a sidecar that would run forever; the pod ends
// Succeeded when its app container does, and the sidecar is stopped.
const SIDECAR_JOB = `
apiVersion: v1
kind: Pod
metadata: {name: sidecar-job}
spec:
  restartPolicy: Never
  initContainers:
  - {name: proxy, image: busybox, restartPolicy: Always, command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]}
  containers:
  - {name: work, image: busybox, command: ["sh", "-c", "sleep 1; echo done"]}
`;

describe('the node: documentation manifests, container environment, kubelet API (issue #6)', { timeout: 600_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let kc: string;
  const run = (args: string[], input?: string) => kubectl(kc, args, { input });
  const json = async <T = any>(args: string[]): Promise<T> => JSON.parse(await run([...args, '-o', 'json']));
  const running = (name: string, timeoutMs = 60_000) => eventually(`${name} running`, async () => (await json(['get', 'pod', name])).status.phase === 'Running', timeoutMs, 250);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-node-'));
    server = startServerProcess(dataDir, ['--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'wl-node', '--disable-dns']);
    kc = server.kubeconfig;
    await eventually('node Ready', async () => { const o = await kubectlRaw(kc, ['get', 'nodes', '--no-headers']); return o.code === 0 && /\sReady\s/.test(o.stdout); }, 120_000, 200);
    for (const m of [INIT_CONTAINER, DOWNWARD_API, DEPENDENT_ENVARS, LIVENESS_EXEC, ENVIRONMENT]) await run(['apply', '-f', '-'], m);
  });

  after(async () => {
    if (server) await stopServerProcess(server);
    await k8ts(['killall', '--data-dir', dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an init container fills the emptyDir the web container serves', async () => {
    await running('init-demo');
    const pod = await json(['get', 'pod', 'init-demo']);
    assert.equal(pod.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
    const res = await eventually('served', () => httpGet(`http://${pod.status.podIP}:80/`).catch(() => undefined), 20_000);
    assert.match(res.body, /installed by the init container/);
  });

  it('a downward-API volume shows the pod\'s labels and annotations', async () => {
    await running('kubernetes-downwardapi-volume-example');
    const logs = await eventually('labels printed', async () => { const l = await run(['logs', 'kubernetes-downwardapi-volume-example']); return /rack="rack-22"/.test(l) ? l : undefined; }, 20_000, 500);
    assert.match(logs, /cluster="test-cluster1"/);
    assert.match(logs, /builder="john-doe"/);
  });

  it('$(VAR) references in env expand as upstream: defined ones, escaped ones, and undefined ones left as written', async () => {
    await running('dependent-envars-demo');
    const logs = await eventually('env printed', async () => { const l = await run(['logs', 'dependent-envars-demo']); return /ESCAPED_REFERENCE/.test(l) ? l : undefined; }, 20_000, 500);
    assert.match(logs, /^UNCHANGED_REFERENCE=\$\(PROTOCOL\):\/\/172\.17\.0\.1:80$/m);
    assert.match(logs, /^SERVICE_ADDRESS=https:\/\/172\.17\.0\.1:80$/m);
    assert.match(logs, /^ESCAPED_REFERENCE=\$\(PROTOCOL\):\/\/172\.17\.0\.1:80$/m);
  });

  it('a Secret env var is set, two containers share an emptyDir, a ConfigMap edit reaches the mounted file', async () => {
    await running('env-demo');
    assert.equal((await run(['exec', 'env-demo', '-c', 'writer', '--', 'sh', '-c', 'echo $PASSWORD'])).trim(), 's3cr3t');
    await eventually('shared file', async () => (await kubectlRaw(kc, ['exec', 'env-demo', '-c', 'reader', '--', 'cat', '/data/note'])).stdout.trim() === 'from-writer', 10_000, 250);
    assert.equal((await run(['exec', 'env-demo', '-c', 'writer', '--', 'cat', '/etc/config/greeting'])).trim(), 'hello');
    await run(['patch', 'configmap', 'app-config', '-p', '{"data":{"greeting":"bonjour"}}']);
    await eventually('updated file', async () => (await kubectlRaw(kc, ['exec', 'env-demo', '-c', 'writer', '--', 'cat', '/etc/config/greeting'])).stdout.trim() === 'bonjour', 90_000, 1000);
  });

  it('a container over its memory limit ends OOMKilled', async () => {
    const state = await eventually('hog terminated', async () => (await json(['get', 'pod', 'memory-hog'])).status.containerStatuses?.[0]?.state?.terminated, 60_000, 500);
    assert.equal(state.reason, 'OOMKilled');
    assert.equal(state.exitCode, 137);
    assert.match(await run(['get', 'pod', 'memory-hog', '--no-headers']), /^memory-hog\s+0\/1\s+OOMKilled\s/);
  });

  it('kubectl exec -it on a pseudo-terminal, exec -- cat, cp both ways, logs -f', async () => {
    // `script` gives kubectl a terminal, as a user's shell would.
    const tty = await new Promise<string>((resolve, reject) => {
      execFile('script', ['-qc', `${KUBECTL} exec -it env-demo -c writer -- sh -c 'tty; echo in-tty'`, '/dev/null'], { env: { ...process.env, KUBECONFIG: kc }, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    assert.match(tty.replace(/\r/g, ''), /\/dev\/pts\/\d+\nin-tty/);
    assert.equal((await run(['exec', 'env-demo', '-c', 'writer', '--', 'cat', '/shared/note'])).trim(), 'from-writer');
    const local = join(dataDir, 'cp-in.txt');
    writeFileSync(local, 'copied in\n');
    await run(['cp', local, 'env-demo:/shared/in.txt', '-c', 'writer']);
    assert.equal((await run(['exec', 'env-demo', '-c', 'reader', '--', 'cat', '/data/in.txt'])).trim(), 'copied in');
    const back = join(dataDir, 'cp-out.txt');
    await run(['cp', 'env-demo:/data/in.txt', back, '-c', 'reader']);
    assert.equal(readFileSync(back, 'utf8'), 'copied in\n');
    // logs -f streams lines as they are written.
    const follow = spawn(KUBECTL, ['logs', '-f', 'kubernetes-downwardapi-volume-example'], { env: { ...process.env, KUBECONFIG: kc } });
    let out = '';
    follow.stdout.on('data', (d) => { out += d; });
    try {
      const before = out.length;
      await eventually('a new line streamed', () => out.length > before && (out.match(/rack="rack-22"/g) ?? []).length >= 2, 20_000, 200);
    } finally { follow.kill(); }
  });

  it('an exec liveness probe restarts its container: RESTARTS grows, Unhealthy and Killing events, logs --previous', async () => {
    const row = await eventually('restarted', async () => {
      const o = await run(['get', 'pod', 'liveness-exec', '--no-headers']);
      return /^liveness-exec\s+1\/1\s+Running\s+[1-9]/.test(o) ? o : undefined;
    }, 120_000, 1000);
    assert.match(row, /\(\d+s ago\)/);
    const described = await run(['describe', 'pod', 'liveness-exec']);
    assert.match(described, /Warning\s+Unhealthy\s+.*Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
    assert.match(described, /Normal\s+Killing\s+.*Container liveness failed liveness probe, will be restarted/);
    const prev = await kubectlRaw(kc, ['logs', 'liveness-exec', '--previous']);
    assert.equal(prev.code, 0, prev.stderr);
  });

  it('a container its liveness probe keeps killing restarts at once, then shows CrashLoopBackOff with the back-off doubling (10 s, then 20 s)', async () => {
    await run(['apply', '-f', '-'], LIVENESS_FAILING);
    const waiting = async () => (await json(['get', 'pod', 'liveness-fail'])).status.containerStatuses?.[0]?.state?.waiting;
    const first = await eventually('back-off 10s', async () => { const w = await waiting(); return w?.reason === 'CrashLoopBackOff' && /^back-off 10s restarting failed container=c pod=liveness-fail_default\(/.test(w.message) ? w : undefined; }, 60_000, 250);
    assert.ok(first);
    assert.match(await run(['get', 'pod', 'liveness-fail', '--no-headers']), /^liveness-fail\s+0\/1\s+CrashLoopBackOff\s+[1-9]/);
    await eventually('back-off 20s', async () => /^back-off 20s /.test((await waiting())?.message ?? ''), 60_000, 250);
  });
  it('a sidecar init container (restartPolicy Always) starts before the next init container, runs beside the app, counts in READY and restarts when it exits', async () => {
    await run(['apply', '-f', '-'], SIDECAR);
    await running('sidecar-demo');
    const pod = await eventually('ready', async () => { const p = await json(['get', 'pod', 'sidecar-demo']); return p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? p : undefined; }, 60_000, 250);
    const [side, check] = pod.status.initContainerStatuses;
    assert.deepEqual([side.name, !!side.state.running, side.started, side.ready], ['logshipper', true, true, true]);
    assert.deepEqual([check.name, check.state.terminated?.exitCode, check.restartCount], ['check', 0, 0], 'the second init container found the sidecar\'s file on its first run');
    assert.match(await run(['get', 'pod', 'sidecar-demo', '--no-headers']), /^sidecar-demo\s+2\/2\s+Running\s+0\s/);
    await run(['exec', 'sidecar-demo', '-c', 'app', '--', 'touch', '/shared/stop']);
    await eventually('sidecar restarted', async () => /^sidecar-demo\s+2\/2\s+Running\s+1 \(/.test(await run(['get', 'pod', 'sidecar-demo', '--no-headers'])), 60_000, 250);
    assert.equal((await run(['exec', 'sidecar-demo', '-c', 'app', '--', 'cat', '/shared/log'])).trim(), 'started\nstarted');
    assert.equal((await json(['get', 'pod', 'sidecar-demo'])).status.containerStatuses[0].restartCount, 0, 'the app container kept running');
    await run(['apply', '-f', '-'], SIDECAR_JOB);
    await eventually('job pod Completed', async () => /^sidecar-job\s+0\/2\s+Completed\s/.test(await run(['get', 'pod', 'sidecar-job', '--no-headers'])), 60_000, 250);
    const job = await json(['get', 'pod', 'sidecar-job']);
    assert.equal(job.status.phase, 'Succeeded');
    assert.equal(job.status.initContainerStatuses[0].state.terminated?.exitCode, 0, 'the sidecar was stopped with SIGTERM');
  });
  it('the API access volume: a bound token, ca.crt and the namespace; the token is the pod\'s ServiceAccount and dies with the pod', async () => {
    await run(['create', 'serviceaccount', 'reader']);
    await run(['run', 'sa-demo', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"reader"}}', '--', 'sleep', '3600']);
    await run(['run', 'no-token', '--image=busybox', '--overrides={"spec":{"automountServiceAccountToken":false}}', '--', 'sleep', '3600']);
    await running('sa-demo');
    const pod = await json(['get', 'pod', 'sa-demo']);
    const vol = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected.sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    assert.equal((await run(['exec', 'sa-demo', '--', 'cat', `${dir}/namespace`])).trim(), 'default');
    assert.match(await run(['exec', 'sa-demo', '--', 'cat', `${dir}/ca.crt`]), /^-----BEGIN CERTIFICATE-----/);
    const token = (await run(['exec', 'sa-demo', '--', 'cat', `${dir}/token`])).trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'sa-demo', uid: pod.metadata.uid });
    assert.deepEqual(claims['kubernetes.io'].node.name, 'wl-node');
    assert.ok(claims.exp - claims.iat > 3600 * 24 * 300, 'the kubelet\'s 3607 s token is extended to a year, as upstream');
    // The token alone (no client certificate) authenticates as the ServiceAccount.
    const tokenKc = join(dataDir, 'token-kubeconfig');
    const cfg = JSON.parse(await run(['config', 'view', '--raw', '-o', 'json']));
    writeFileSync(tokenKc, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'sa', clusters: cfg.clusters,
      users: [{ name: 'sa', user: { token } }], contexts: [{ name: 'sa', context: { cluster: cfg.clusters[0].name, user: 'sa' } }],
    }));
    const who = JSON.parse(await kubectl(tokenKc, ['auth', 'whoami', '-o', 'json'])).status.userInfo;
    assert.equal(who.username, 'system:serviceaccount:default:reader');
    assert.deepEqual(who.extra['authentication.kubernetes.io/pod-name'], ['sa-demo']);
    await running('no-token');
    assert.equal((await json(['get', 'pod', 'no-token'])).spec.volumes, undefined, 'automountServiceAccountToken: false mounts nothing');
    await run(['delete', 'pod', 'sa-demo', '--grace-period=1', '--wait=true']);
    const refused = await kubectlRaw(tokenKc, ['auth', 'whoami']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized|must be logged in/);
  });

  it('the kubelet API refuses anonymous callers (401), asks the apiserver about the others: a user without nodes/proxy gets 403, a token with nodes/stats reads stats', async () => {
    const node = await json(['get', 'node', 'wl-node']);
    const ip = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
    const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
    const pki = await ensurePki(tlsDir(dataDir));
    const call = (path: string, who: { cert?: string; key?: string; headers?: Record<string, string> }): Promise<{ code: number; body: string }> => new Promise((resolve, reject) => {
      const req = https.get({ host: ip, port, path, ca: pki.ca.certPem, servername: ip, ...who, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    assert.deepEqual(await call('/pods', {}), { code: 401, body: 'Unauthorized' });
    assert.deepEqual(await call('/pods', { headers: { Authorization: 'Bearer not-a-token' } }), { code: 401, body: 'Unauthorized' });
    const alice = await pki.issueCertificate({ commonName: 'alice', organizations: ['dev-team'], usages: 'client' });
    assert.deepEqual(await call('/pods', { cert: alice.certPem, key: alice.keyPem }), { code: 403, body: 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)' });
    await run(['create', 'serviceaccount', 'stats-reader']);
    await run(['create', 'clusterrole', 'node-stats-reader', '--verb=get', '--resource=nodes/stats']);
    await run(['create', 'clusterrolebinding', 'node-stats-reader', '--clusterrole=node-stats-reader', '--serviceaccount=default:stats-reader']);
    const token = (await run(['create', 'token', 'stats-reader'])).trim();
    const stats = await call('/stats/summary', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(stats.code, 200);
    assert.equal(JSON.parse(stats.body).node.nodeName, 'wl-node');
    assert.deepEqual(await call('/pods', { headers: { Authorization: `Bearer ${token}` } }), { code: 403, body: 'Forbidden (user=system:serviceaccount:default:stats-reader, verb=get, resource=nodes, subresource=proxy)' });
    // The apiserver's own kubelet client (system:masters) still reads through nodes/proxy.
    assert.match(await run(['get', '--raw', '/api/v1/nodes/wl-node/proxy/pods']), /"kind":"PodList"/);
    // No secret material in the server's log: neither the bearer tokens it checked nor any private key.
    const log = readFileSync(join(dataDir, 'server.log'), 'utf8');
    assert.ok(!log.includes(token) && !log.includes(token.split('.')[2]), 'a token in the log');
    assert.doesNotMatch(log, /PRIVATE KEY/);
  });
});
