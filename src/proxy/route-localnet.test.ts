import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProxier } from './proxier.js';
import { enableRouteLocalnet } from './route-localnet.js';
import type { SharedInformerFactory } from '../client/informers/types.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const temp = tempDirs();
after(() => temp.removeAll());

const sysctl = (value: string): string => {
  const path = join(temp.make('route-localnet-'), 'route_localnet');
  writeFileSync(path, `${value}\n`);
  return path;
};
const read = (path: string): string => readFileSync(path, 'utf8').trim();

/** Informers that never sync: the proxier waits in waitForCacheSync until its signal aborts, never reaching nft. */
const idleInformers = (): SharedInformerFactory => ({
  forResource: () => ({ lister: { get: () => undefined, list: () => [] }, addEventHandler: () => {}, addIndexers: () => {}, hasSynced: () => false }) as never,
  start: () => {},
  waitForCacheSync: (signal?: AbortSignal) => new Promise<void>((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  }),
});

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setImmediate(r));
  }
}

test('route_localnet: set to 1 while the proxier runs and put back to 0 when its signal aborts', async () => {
  const path = sysctl('0');
  const abort = new AbortController();
  const running = runProxier({ client: {} as never, informers: idleInformers(), nodeName: 'n1', nodeIP: '10.0.0.1', signal: abort.signal, routeLocalnetPath: path, log: () => {} });
  await until(() => read(path) === '1');
  abort.abort();
  await running;
  assert.equal(read(path), '0');
});

test('route_localnet: left alone when it already was 1', async () => {
  const path = sysctl('1');
  const abort = new AbortController();
  const running = runProxier({ client: {} as never, informers: idleInformers(), nodeName: 'n1', nodeIP: '10.0.0.1', signal: abort.signal, routeLocalnetPath: path, log: () => {} });
  assert.equal(read(path), '1');
  writeFileSync(path, '1\n');
  abort.abort();
  await running;
  assert.equal(readFileSync(path, 'utf8'), '1\n', 'not rewritten');
});

test('route_localnet: not touched when the proxier runs in a network namespace', async () => {
  const path = sysctl('0');
  const abort = new AbortController();
  const running = runProxier({ client: {} as never, informers: idleInformers(), nodeName: 'n1', nodeIP: '10.0.0.1', signal: abort.signal, routeLocalnetPath: path, netns: 'test-ns', log: () => {} });
  assert.equal(read(path), '0');
  abort.abort();
  await running;
  assert.equal(read(path), '0');
});

test('enableRouteLocalnet: the restore function writes the previous value once', () => {
  const path = sysctl('0');
  const restore = enableRouteLocalnet(path);
  assert.equal(read(path), '1');
  restore();
  assert.equal(read(path), '0');
  writeFileSync(path, '1');
  restore();
  assert.equal(read(path), '1');
});
