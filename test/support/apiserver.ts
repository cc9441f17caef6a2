/**
 * An in-process apiserver for integration tests: a fresh PKI in a temp dir, an
 * in-memory SQLite store behind the watch cache (as `k8ts server` runs it), the
 * built-in resource table, and an HTTPS listener on a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinResourceTable } from '../../src/api/builtin-resources.js';
import { createRegistry, type RegistryOptions } from '../../src/apiserver/registry/index.js';
import { startApiServer, type RunningApiServer } from '../../src/apiserver/server.js';
import type { Auditor } from '../../src/apiserver/audit/auditor.js';
import type { FlowControlSettings } from '../../src/apiserver/flowcontrol/flow-control-filter.js';
import { ensurePki, type Pki } from '../../src/pki/pki.js';
import { newCacher } from '../../src/storage/cacher/cacher.js';
import type { Storage } from '../../src/storage/interface.js';
import { createClient } from '../../src/client/rest-client.js';
import { resources, type Client } from '../../src/client/interface.js';
import { createSharedInformerFactory } from '../../src/client/informers/shared-informer-factory.js';
import type { SharedInformerFactory } from '../../src/client/informers/types.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { serviceAccountTokensFor } from '../../src/apiserver/authn/service-account-token.js';

/** `adminClient()`: a client with the admin certificate (system:masters). */
export interface TestApiServer { dir: string; pki: Pki; storage: Storage; api: RunningApiServer; adminClient(): Client; close(): Promise<void> }

/**
 * Starts the server; `registry` adds registry options (the table defaults to the
 * built-in one), `log` receives server logs (default: dropped). `close()` stops the
 * listener, closes the store and removes the temp dir.
 */
export async function startTestApiServer(name: string, opts: { registry?: Partial<RegistryOptions>; log?: (m: string) => void; auditor?: Auditor; flowControl?: FlowControlSettings | false } = {}): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), `k8ts-${name}-`));
  const pki = await ensurePki(join(dir, 'tls'));
  const storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
  const api = await startApiServer({ registry: createRegistry(storage, { table: builtinResourceTable(), serviceAccountTokens: serviceAccountTokensFor(pki.serviceAccountKeyPem), ...opts.registry }), pki, port: 0, log: opts.log ?? (() => {}), auditor: opts.auditor, flowControl: opts.flowControl });
  return {
    dir, pki, storage, api,
    adminClient: () => createClient({ server: api.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem }),
    close: async () => { await api.close(); await storage.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value (resolved with it) or `ms`
 * pass (rejects naming `what` and the last error). For controller tests against a
 * TestApiServer: no fixed sleeps in assertions.
 */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A running controller test: the in-process apiserver, an admin client, and `stop()` (controllers, then server). */
export interface ControllerHarness { server: TestApiServer; client: Client; stop(): Promise<void> }

/** Anything the harness runs until stop(): a controller, or a wrapper around a component's run function. */
export interface HarnessRunnable { run(signal: AbortSignal, workers: number): Promise<void> }

/**
 * Starts a TestApiServer named `name`, creates `namespaces` (default `['default']`), builds
 * the runnables with `make(client, informers, server)` (the server for e.g. its PKI; it
 * may be async, to create objects that must exist before anything runs),
 * runs each with 2 workers and starts the informers. `stop()` aborts them, waits for
 * their run() to return (a rejection is ignored), then closes the server. For controller
 * and component (controller manager, scheduler) tests against a real API server.
 */
export async function startControllerHarness(name: string, make: (client: Client, informers: SharedInformerFactory, server: TestApiServer) => HarnessRunnable[] | Promise<HarnessRunnable[]>, namespaces = ['default']): Promise<ControllerHarness> {
  const server = await startTestApiServer(name);
  const client = server.adminClient();
  for (const ns of namespaces) await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
  const ac = new AbortController();
  const informers = createSharedInformerFactory(client);
  const runs = (await make(client, informers, server)).map((c) => c.run(ac.signal, 2));
  informers.start(ac.signal);
  return { server, client, stop: async () => { ac.abort(); await Promise.allSettled(runs); await server.close(); } };
}
