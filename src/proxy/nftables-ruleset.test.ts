import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { planSync, ProgrammedState, renderServicePort, serviceChainName, type RulesetConfig } from './nftables-ruleset.js';
import { endpointsFor, servicePorts, usableEndpoints, type EndpointInfo, type ServicePortInfo } from './service-port.js';
import { listTable, runNft } from './nft.js';

const cfg: RulesetConfig = { nodeName: 'n1', clusterCIDR: '10.244.0.0/16', nodePortAddresses: ['127.0.0.1', '10.244.0.1'] };
const sp = (over: Partial<ServicePortInfo> = {}): ServicePortInfo => ({
  key: 'default/web/tcp/http', namespace: 'default', name: 'web', portName: 'http', protocol: 'tcp', clusterIPs: ['10.96.5.5'], port: 80,
  nodePort: 0, externalAddresses: [], affinitySeconds: 0, externalPolicyLocal: false, internalPolicyLocal: false, ...over,
});
const ep = (ip: string, over: Partial<EndpointInfo> = {}): EndpointInfo => ({ ip, port: 8080, ready: true, serving: true, terminating: false, nodeName: 'n1', ...over });

test('service ports: ExternalName and headless Services get no rules; LoadBalancer ingress and node ports are kept', () => {
  assert.deepEqual(servicePorts({ metadata: { name: 'x', namespace: 'd' }, spec: { type: 'ExternalName', externalName: 'a.b' } } as never), []);
  assert.deepEqual(servicePorts({ metadata: { name: 'x', namespace: 'd' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } } as never), []);
  const [p] = servicePorts({ metadata: { name: 'x', namespace: 'd' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9', ports: [{ name: 'h', port: 80, nodePort: 30001 }], sessionAffinity: 'ClientIP' }, status: { loadBalancer: { ingress: [{ ip: '10.244.0.1' }] } } } as never);
  assert.equal(p.key, 'd/x/tcp/h');
  assert.equal(p.nodePort, 30001);
  assert.deepEqual(p.externalAddresses, ['10.244.0.1']);
  assert.equal(p.affinitySeconds, 10800);
});

test('endpoints: slice ports matched by name and protocol; ready first, serving terminating only when none is ready; Local keeps this node', () => {
  const slices = [{ metadata: { name: 's1' }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'other', port: 9, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.0.2'], conditions: { ready: true }, nodeName: 'n1' }, { addresses: ['10.244.0.3'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'n2' }] }];
  const eps = endpointsFor(sp(), slices as never);
  assert.deepEqual(eps.map((e) => `${e.ip}:${e.port}`), ['10.244.0.2:8080', '10.244.0.3:8080']);
  assert.deepEqual(usableEndpoints(eps, false, 'n1').map((e) => e.ip), ['10.244.0.2']);
  assert.deepEqual(usableEndpoints(eps.slice(1), false, 'n1').map((e) => e.ip), ['10.244.0.3']);
  assert.deepEqual(usableEndpoints(eps, true, 'n2').map((e) => e.ip), ['10.244.0.3']);
});

test('a change of one endpoint rewrites only that service port\'s chains and elements', () => {
  const other = sp({ key: 'default/db/tcp/', name: 'db', portName: '', clusterIPs: ['10.96.7.7'], port: 5432 });
  const first = planSync(new ProgrammedState(), new Map([
    ['default/web/tcp/http', renderServicePort(sp(), [ep('10.244.0.2'), ep('10.244.0.3')], cfg)],
    ['default/db/tcp/', renderServicePort(other, [ep('10.244.0.9')], cfg)],
  ]), cfg, true);
  assert.match(first.script, /dnat ip to numgen random mod 2 map \{ 0 : 10\.244\.0\.2 \. 8080, 1 : 10\.244\.0\.3 \. 8080 \}/);
  const second = planSync(first.state, new Map([['default/web/tcp/http', renderServicePort(sp(), [ep('10.244.0.2')], cfg)]]), cfg);
  assert.doesNotMatch(second.script, /db/);
  assert.doesNotMatch(second.script, /delete table/);
  assert.match(second.script, new RegExp(`flush chain ip k8ts-proxy ${serviceChainName('default/web/tcp/http').replace(/[/]/g, '\\/')}`));
  assert.match(second.script, /add rule ip k8ts-proxy service-\S+ meta l4proto tcp dnat ip to 10\.244\.0\.2:8080/);
  assert.match(second.script, /delete element ip k8ts-proxy hairpin-endpoints \{ 10\.244\.0\.3 \. 10\.244\.0\.3 \}/);
  // Nothing changed: nothing to do.
  assert.equal(planSync(second.state, new Map([['default/web/tcp/http', renderServicePort(sp(), [ep('10.244.0.2')], cfg)]]), cfg).script, '');
  // No endpoints: the cluster IP moves to the reject map; the cluster-ips element stays.
  const third = planSync(second.state, new Map([['default/web/tcp/http', renderServicePort(sp(), [], cfg)]]), cfg);
  assert.match(third.script, /delete element ip k8ts-proxy service-ips \{ 10\.96\.5\.5 \. tcp \. 80 \}/);
  assert.match(third.script, /add element ip k8ts-proxy no-endpoint-services \{ 10\.96\.5\.5 \. tcp \. 80 : goto reject-chain \}/);
  assert.doesNotMatch(third.script, /cluster-ips \{/);
});

test('Local external policy without a local endpoint drops node-port traffic instead of rejecting it', () => {
  const chunk = renderServicePort(sp({ nodePort: 30080, externalPolicyLocal: true }), [ep('10.244.0.2', { nodeName: 'n2' })], cfg);
  assert.deepEqual(chunk.elements.find((e) => e.map === 'no-endpoint-nodeports'), { map: 'no-endpoint-nodeports', key: 'tcp . 30080', value: 'drop' });
});

test('the transactions apply with the real nft, incrementally, in a network namespace of our own', async () => {
  const ns = `k8ts-nfttest-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const web = sp({ nodePort: 30080, externalAddresses: ['10.244.0.1'], affinitySeconds: 100 });
    let plan = planSync(new ProgrammedState(), new Map([[web.key, renderServicePort(web, [ep('10.244.0.2'), ep('10.244.0.3')], cfg)]]), cfg, true);
    await runNft(plan.script, { netns: ns });
    let table = await listTable('k8ts-proxy', { netns: ns });
    assert.match(table, /10\.96\.5\.5 \. tcp \. 80 : goto service-/);
    assert.match(table, /tcp \. 30080 : goto external-/);
    assert.match(table, /dnat (ip )?to 10\.244\.0\.3:8080/);
    assert.match(table, /flags dynamic,timeout/);
    assert.match(table, /10\.244\.0\.2 \. 10\.244\.0\.2/);
    for (const eps of [[ep('10.244.0.2')], [], [ep('10.244.0.4'), ep('10.244.0.5', { ready: false })]]) {
      plan = planSync(plan.state, new Map([[web.key, renderServicePort(web, eps, cfg)]]), cfg);
      await runNft(plan.script, { netns: ns });
    }
    table = await listTable('k8ts-proxy', { netns: ns });
    assert.match(table, /dnat (ip )?to 10\.244\.0\.4:8080/);
    assert.doesNotMatch(table, /10\.244\.0\.5:8080|10\.244\.0\.3:8080|reject-chain \}/);
    plan = planSync(plan.state, new Map([[web.key, undefined]]), cfg);
    await runNft(plan.script, { netns: ns });
    table = await listTable('k8ts-proxy', { netns: ns });
    assert.doesNotMatch(table, /chain (service|endpoint|external)-/);
    assert.doesNotMatch(table, /10\.244\.0\.[2-5]\b/);
    assert.doesNotMatch(table, /10\.96\.5\.5/);
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
});
