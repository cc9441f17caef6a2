import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolvConf, podDnsConfig } from './dns-config.js';

const host = parseResolvConf('# comment\nnameserver 192.0.2.53\nsearch corp.example lab.example\noptions edns0 ndots:2\n');
const ctx = { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local', host };
const pod = (spec: Record<string, unknown>) => ({ metadata: { name: 'p', namespace: 'team' }, spec: { containers: [], ...spec } }) as never;

test('resolv.conf parsing', () => {
  assert.deepEqual(host, { servers: ['192.0.2.53'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:2'] });
});

test('ClusterFirst: the cluster DNS, the namespace search paths then the node\'s, ndots:5 replacing the node\'s ndots', () => {
  assert.deepEqual(podDnsConfig(pod({}), ctx), {
    servers: ['10.96.0.10'],
    searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['edns0', 'ndots:5'],
  });
});

test('Default and host-network ClusterFirst use the node\'s resolv.conf; ClusterFirstWithHostNet the cluster\'s', () => {
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default' }), ctx), host);
  assert.deepEqual(podDnsConfig(pod({ hostNetwork: true }), ctx), host);
  assert.equal(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), ctx).servers[0], '10.96.0.10');
});

test('None takes dnsConfig only; dnsConfig merges into other policies (options by name)', () => {
  const dnsConfig = { nameservers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig }), ctx), { servers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: ['ndots:2', 'edns0'] });
  const merged = podDnsConfig(pod({ dnsConfig: { nameservers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], options: [{ name: 'ndots', value: '1' }] } }), ctx);
  assert.deepEqual(merged.servers, ['10.96.0.10', '192.0.2.1', '192.0.2.2'], 'at most 3 nameservers');
  assert.ok(merged.options.includes('ndots:1') && !merged.options.includes('ndots:5'));
});
