import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiscovery } from './discovery.js';
import { aggregatedVersionOf } from './aggregated-discovery.js';
import { builtinResourceTable } from '../api/builtin-resources.js';

const infos = builtinResourceTable().served().map((d) => d.info);
const docs = buildDiscovery(infos, 'https://10.0.0.1:6443');

it('aggregated /apis (apidiscovery.k8s.io/v2) lists the named groups with the legacy documents\' resources', () => {
  const list = docs.aggregated(false, 'v2') as any;
  assert.equal(list.kind, 'APIGroupDiscoveryList');
  assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(list.items.map((g: any) => g.metadata.name), (docs.apis as any).groups.map((g: any) => g.name));
  const apps = list.items.find((g: any) => g.metadata.name === 'apps');
  const v1 = apps.versions[0];
  assert.equal(v1.version, 'v1');
  assert.equal(v1.freshness, 'Current');
  const deploy = v1.resources.find((r: any) => r.resource === 'deployments');
  assert.deepEqual(deploy.responseKind, { group: '', version: '', kind: 'Deployment' });
  assert.equal(deploy.scope, 'Namespaced');
  assert.equal(deploy.singularResource, 'deployment');
  assert.deepEqual(deploy.shortNames, ['deploy']);
  assert.deepEqual(deploy.categories, ['all']);
  assert.ok(deploy.verbs.includes('watch'));
  assert.deepEqual(deploy.subresources.find((s: any) => s.subresource === 'scale'), { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  // One source: every legacy APIResource is in the aggregated document.
  for (const g of list.items) {
    for (const v of g.versions) {
      const legacy = (docs.resourceList(g.metadata.name, v.version) as any).resources;
      const names = v.resources.flatMap((r: any) => [r.resource, ...(r.subresources ?? []).map((s: any) => `${r.resource}/${s.subresource}`)]);
      assert.deepEqual(names.sort(), legacy.map((r: any) => r.name).sort());
    }
  }
});

it('aggregated /api holds only the core group; v2beta1 has the same shape', () => {
  const core = docs.aggregated(true, 'v2beta1') as any;
  assert.equal(core.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.equal(core.items.length, 1);
  assert.equal(core.items[0].metadata.name, undefined);
  const pods = core.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
  assert.deepEqual(pods.responseKind, { group: '', version: '', kind: 'Pod' });
  assert.ok(pods.subresources.some((s: any) => s.subresource === 'eviction' && s.responseKind.group === 'policy'));
  const ns = core.items[0].versions[0].resources.find((r: any) => r.resource === 'namespaces');
  assert.equal(ns.scope, 'Cluster');
});

it('picks the aggregated version from Accept as kubectl 1.32 sends it', () => {
  const kubectl = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.equal(aggregatedVersionOf(kubectl), 'v2');
  assert.equal(aggregatedVersionOf(`application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${kubectl}`), 'v2');
  assert.equal(aggregatedVersionOf('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'), 'v2beta1');
  assert.equal(aggregatedVersionOf('application/json, */*'), undefined);
  assert.equal(aggregatedVersionOf(undefined), undefined);
  assert.equal(aggregatedVersionOf('application/json;g=apidiscovery.k8s.io;v=v9;as=APIGroupDiscoveryList,application/json'), undefined);
});
