import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPostStart, runPreStop } from './lifecycle-hooks.js';

const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } } as never;
const cri = (exitCode: number, calls: string[][] = []) => ({ execSync: async (_id: string, cmd: string[]) => { calls.push(cmd); return { stdout: Buffer.from('out\n'), stderr: Buffer.from('boom\n'), exitCode }; } }) as never;
const ctx = (lifecycle: object, exitCode = 0, calls: string[][] = []) => ({ cri: cri(exitCode, calls), pod, container: { name: 'c', lifecycle } as never, containerId: 'cid', podIP: '127.0.0.1' });

it('postStart: exec runs in the container; a non-zero exit is the upstream message', async () => {
  const calls: string[][] = [];
  assert.equal(await runPostStart(ctx({ postStart: { exec: { command: ['sh', '-c', 'true'] } } }, 0, calls)), '');
  assert.deepEqual(calls, [['sh', '-c', 'true']]);
  assert.equal(await runPostStart(ctx({ postStart: { exec: { command: ['false'] } } }, 1)),
    'Exec lifecycle hook ([false]) for Container "c" in Pod "p_ns(u1)" failed - error: command \'false\' exited with 1: boom\n, message: "out\\nboom\\n"');
  assert.equal(await runPostStart(ctx({})), '');
});

it('postStart: httpGet succeeds on any HTTP response, fails on a transport error; sleep sleeps', async () => {
  const paths: string[] = [];
  const srv = http.createServer((req, res) => { paths.push(`${req.url} ${req.headers['user-agent']}`); res.writeHead(500); res.end(); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  try {
    assert.equal(await runPostStart(ctx({ postStart: { httpGet: { path: '/hook', port } } })), '');
    assert.deepEqual(paths, ['/hook kube-lifecycle/1.32']);
  } finally { srv.closeAllConnections(); await new Promise((r) => srv.close(r)); }
  assert.match(await runPostStart(ctx({ postStart: { httpGet: { path: '/hook', port } } })), /^HTTP lifecycle hook \(\/hook\) for Container "c" in Pod "p_ns\(u1\)" failed - error: .*ECONNREFUSED/);
  const t0 = Date.now();
  assert.equal(await runPostStart(ctx({ postStart: { sleep: { seconds: 1 } } })), '');
  assert.ok(Date.now() - t0 >= 990);
});

it('preStop: counts against the grace period, at least 2 s left; failure is FailedPreStopHook; timeout only logged', async () => {
  const events: string[] = [];
  const ev = (t: string, r: string, m: string) => events.push(`${t} ${r} ${m}`);
  assert.equal(await runPreStop(ctx({}), 30, ev), 30);
  assert.equal(await runPreStop(ctx({}), 0, ev), 0);
  assert.equal(await runPreStop(ctx({}), 1, ev), 2);
  assert.equal(await runPreStop(ctx({ preStop: { exec: { command: ['false'] } } }, 1), 30, ev), 30);
  assert.deepEqual(events, ['Warning FailedPreStopHook PreStopHook failed']);
  const t0 = Date.now();
  assert.equal(await runPreStop(ctx({ preStop: { sleep: { seconds: 2 } } }), 3, ev), 2);
  assert.ok(Date.now() - t0 >= 1990);
  const logs: string[] = [];
  const t1 = Date.now();
  assert.equal(await runPreStop(ctx({ preStop: { sleep: { seconds: 60 } } }), 1, ev, (m) => logs.push(m)), 2);
  assert.ok(Date.now() - t1 < 1500);
  assert.match(logs[0], /PreStop hook not completed in grace period/);
  assert.equal(events.length, 1);
});
