import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { grpcHealthCheck, healthClient } from './grpc-health.js';
import { runProbe } from './prober.js';

async function server(impl: grpc.UntypedServiceImplementation | undefined): Promise<{ port: number; stop(): void }> {
  const s = new grpc.Server();
  if (impl) s.addService(healthClient().service, impl);
  const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return { port, stop: () => s.forceShutdown() };
}

it('gRPC health probe: SERVING succeeds, other statuses and errors fail with upstream messages', async () => {
  const statuses: Record<string, string> = { '': 'SERVING', db: 'NOT_SERVING' };
  const s = await server({ Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    if (call.request.service === 'slow') { setTimeout(() => cb(null, { status: 'SERVING' }), 3000); return; }
    const st = statuses[call.request.service];
    if (!st) cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' }); else cb(null, { status: st });
  } });
  try {
    assert.deepEqual(await grpcHealthCheck('127.0.0.1', s.port, '', 1), { ok: true, message: 'service healthy' });
    assert.deepEqual(await grpcHealthCheck('127.0.0.1', s.port, 'db', 1), { ok: false, message: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.match((await grpcHealthCheck('127.0.0.1', s.port, 'nope', 1)).message, /^error: health rpc probe failed: 5 NOT_FOUND: unknown service/);
    assert.deepEqual(await grpcHealthCheck('127.0.0.1', s.port, 'slow', 1), { ok: false, message: 'timeout: health rpc did not complete within 1s' });
    // Through the prober: grpc.port to the pod IP.
    assert.equal((await runProbe({ grpc: { port: s.port } }, { name: 'c' }, '127.0.0.1', 'id', {} as never)).ok, true);
  } finally { s.stop(); }
  const bare = await server(undefined);
  try {
    assert.match((await grpcHealthCheck('127.0.0.1', bare.port, '', 1)).message, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
  } finally { bare.stop(); }
  assert.match((await grpcHealthCheck('127.0.0.1', bare.port, '', 1)).message, /^timeout: failed to connect service "127\.0\.0\.1:\d+" within 1s: /);
});
