/**
 * Issue #7: what the garbage collector's informers keep. An in-process API server
 * (test/support/apiserver.ts) holds N ConfigMaps of `--kb` KiB each (default 1,000 ×
 * 10 KiB) and N Secrets of the same size; one process then syncs the informers the GC
 * uses for those two kinds, full (as before) or metadata-only (as now), and reports the
 * V8 heap they hold after a full GC. Run: `npx tsx --expose-gc bench/gc-informers.ts`
 * (node flags through NODE_OPTIONS=--expose-gc if your tsx does not pass them).
 */
import { startTestApiServer } from '../test/support/apiserver.js';
import { resources } from '../src/client/interface.js';
import { createSharedInformerFactory } from '../src/client/informers/shared-informer-factory.js';

const arg = (name: string, dflt: number): number => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const N = arg('objects', 1000);
const KB = arg('kb', 10);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (NODE_OPTIONS=--expose-gc npx tsx bench/gc-informers.ts)');
const heapMB = (): number => { gc(); gc(); return process.memoryUsage().heapUsed / 1e6; };

const server = await startTestApiServer('bench-gc-informers');
try {
  const client = server.adminClient();
  await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const blob = 'x'.repeat(KB * 1024);
  const secret = Buffer.from(blob).toString('base64').slice(0, KB * 1024);
  for (let i = 0; i < N; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, j) => Promise.all([
      client.resource(resources.configmaps).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i + j}`, namespace: 'default' }, data: { blob } } as never),
      client.resource(resources.secrets).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i + j}`, namespace: 'default' }, data: { blob: secret } } as never),
    ])));
  }
  const result: Record<string, number> = {};
  // Metadata-only first: an aborted round's cache lingers until its reflectors end, and the
  // small one lingering under the full round's baseline is what costs the least accuracy.
  for (const metadataOnly of [true, false]) {
    await new Promise((r) => setTimeout(r, 1000));
    const before = heapMB();
    const abort = new AbortController();
    const factory = createSharedInformerFactory(client);
    const infs = [factory.forResource(resources.configmaps, { metadataOnly }), factory.forResource(resources.secrets, { metadataOnly })];
    factory.start(abort.signal);
    await factory.waitForCacheSync(abort.signal);
    const held = heapMB() - before;
    result[metadataOnly ? 'metadataOnlyMB' : 'fullMB'] = Math.round(held * 10) / 10;
    if (infs.some((i) => i.lister.list().length !== N)) throw new Error('informer did not sync every object');
    abort.abort();
    infs.length = 0;
  }
  console.log(JSON.stringify({ objects: N * 2, kb: KB, ...result }, null, 2));
  console.log(`| GC informers' heap for ${N} ConfigMaps + ${N} Secrets of ${KB} KiB | full ${result.fullMB} MB → metadata-only ${result.metadataOnlyMB} MB | upstream's GC uses metadata informers | ${(result.metadataOnlyMB / result.fullMB).toFixed(3)}× |`);
} finally {
  await server.close();
}
