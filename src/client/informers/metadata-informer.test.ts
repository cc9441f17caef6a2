/**
 * Metadata-only informers (client-go metadatainformer) against a real API server: the
 * cache holds PartialObjectMetadata — names, labels, owners, versions — never a
 * ConfigMap's data; adds, updates and deletes arrive as for a full informer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, until } from '../../../test/support/apiserver.js';
import { resources } from '../interface.js';
import { createSharedInformerFactory } from './shared-informer-factory.js';


test('a metadata-only informer caches PartialObjectMetadata and follows changes; a full one on the same resource stays full', async () => {
  const server = await startTestApiServer('metadata-informer');
  const abort = new AbortController();
  try {
    const client = server.adminClient();
    const cms = client.resource(resources.configmaps);
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default', labels: { a: '1' } }, data: { blob: 'x'.repeat(10_000) } } as never);
    const factory = createSharedInformerFactory(client);
    const meta = factory.forResource(resources.configmaps, { metadataOnly: true });
    const full = factory.forResource(resources.configmaps);
    assert.notEqual(meta, full, 'separate informers');
    const seen: string[] = [];
    meta.addEventHandler({ onAdd: (o) => seen.push(`add ${o.metadata.name}`), onUpdate: (_o, n) => seen.push(`update ${n.metadata.name} ${n.metadata.labels?.a}`), onDelete: () => seen.push('delete') });
    factory.start(abort.signal);
    await factory.waitForCacheSync(abort.signal);

    const cached = meta.lister.get('default/big')!;
    assert.equal(cached.kind, 'PartialObjectMetadata');
    assert.equal(cached.apiVersion, 'meta.k8s.io/v1');
    assert.equal((cached as { data?: unknown }).data, undefined, 'no data in the metadata cache');
    assert.deepEqual(cached.metadata.labels, { a: '1' });
    assert.equal((full.lister.get('default/big') as { data?: { blob: string } }).data?.blob.length, 10_000);

    await cms.patch('big', { metadata: { labels: { a: '2' } } }, 'application/merge-patch+json', { namespace: 'default' });
    await until('the update', async () => seen.includes('update big 2'));
    assert.equal(meta.lister.get('default/big')!.kind, 'PartialObjectMetadata', 'watch events are metadata too');
    await cms.delete('big', { namespace: 'default' });
    await until('the delete', async () => seen.includes('delete'));
    assert.equal(meta.lister.get('default/big'), undefined);
  } finally {
    abort.abort();
    await server.close();
  }
});
