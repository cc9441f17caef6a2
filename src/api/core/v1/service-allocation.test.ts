import { it } from 'node:test';
import assert from 'node:assert/strict';
import { allocateServiceAddresses, pickFree, serviceOwner, staticBand } from './service-allocation.js';
import type { Service } from './types.js';
import type { Storage } from '../../../storage/interface.js';
import { openSqliteStorage } from '../../../storage/sqlite/sqlite-storage.js';
import { AllocationLedger } from '../../../machinery/allocation-ledger.js';

it('static bands are upstream\'s sizes (KEP-3070, KEP-3668)', () => {
  assert.equal(staticBand(2 ** 20 - 2, 16, 256, 16), 256); // /12 service CIDR
  assert.equal(staticBand(254, 16, 256, 16), 16); // /24
  assert.equal(staticBand(2768, 16, 128, 32), 86); // 30000-32767
});

it('pickFree draws from the upper band and falls back to the lower band when it is full', () => {
  const taken = new Set<number>();
  let r = 0;
  const random = (): number => (r = (r + 0.37) % 1);
  for (let i = 0; i < 6; i++) { const v = pickFree(100, 10, 4, taken, random)!; assert.ok(v >= 104 && v < 110, String(v)); taken.add(v); }
  const lower = pickFree(100, 10, 4, taken, random)!;
  assert.ok(lower >= 100 && lower < 104);
  for (let v = 100; v < 104; v++) taken.add(v);
  assert.equal(pickFree(100, 10, 4, taken, random), undefined);
});

it('the ledger holds values for their owner until released, and expires forgotten holds', () => {
  let now = 0;
  const l = new AllocationLedger(() => now, 1000);
  l.hold('r', 1, 'a'); l.hold('r', 2, 'b');
  assert.deepEqual([...l.held('r')].sort(), [1, 2]);
  l.release('a');
  assert.deepEqual([...l.held('r')], [2]);
  now = 2000;
  assert.deepEqual([...l.held('r')], []);
});

it('two apiservers racing on one datastore never hand out a ClusterIP or NodePort twice', async () => {
  const storage = await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 });
  try {
    const ledgers = [new AllocationLedger(Date.now, 60_000, storage), new AllocationLedger(Date.now, 60_000, storage)];
    const stored: Service[] = [];
    // Each apiserver lists the stored Services, allocates, and stores a little later.
    const services = await Promise.all(Array.from({ length: 24 }, async (_, i) => {
      const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
      await allocateServiceAddresses(svc, '10.0.0.0/27', async () => [...stored], ledgers[i % 2]);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      stored.push(svc);
      ledgers[i % 2].release(serviceOwner(svc));
      return svc;
    }));
    const ips = services.map((s) => s.spec!.clusterIP);
    const ports = services.map((s) => s.spec!.ports![0].nodePort);
    assert.equal(new Set(ips).size, 24, ips.join(' '));
    assert.equal(new Set(ports).size, 24, ports.join(' '));
    assert.ok(!ips.includes('10.0.0.1'));
    // Released claims are gone from storage.
    await eventuallyEmpty(storage);
  } finally { await storage.close(); }
});

async function eventuallyEmpty(storage: Storage): Promise<void> {
  const deadline = Date.now() + 2000;
  while ((await storage.list('/registry/k8ts.io/allocationclaims/')).items.length) {
    if (Date.now() > deadline) assert.fail('claims left behind');
    await new Promise((r) => setTimeout(r, 10));
  }
}
