import { it } from 'node:test';
import assert from 'node:assert/strict';
import { podQosClass } from './qos.js';

const pod = (containers: object[], initContainers: object[] = []) => ({ metadata: {}, spec: { containers, initContainers } }) as never;
const r = (requests?: object, limits?: object) => ({ name: 'c', resources: { requests, limits } });

it('QoS class follows upstream ComputePodQOS', () => {
  assert.equal(podQosClass(pod([{ name: 'c' }])), 'BestEffort');
  assert.equal(podQosClass(pod([r({ cpu: '0', memory: '0' })])), 'BestEffort');
  assert.equal(podQosClass(pod([r({ 'ephemeral-storage': '1Gi' })])), 'BestEffort');
  assert.equal(podQosClass(pod([r(undefined, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
  assert.equal(podQosClass(pod([r({ cpu: '1000m', memory: '1024Mi' }, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
  assert.equal(podQosClass(pod([r({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })])), 'Burstable');
  assert.equal(podQosClass(pod([r({ cpu: '100m' })])), 'Burstable');
  assert.equal(podQosClass(pod([r(undefined, { cpu: '1' })])), 'Burstable');
  // An init container without limits makes a Guaranteed-looking pod Burstable.
  assert.equal(podQosClass(pod([r(undefined, { cpu: '1', memory: '1Gi' })], [r({ cpu: '100m' })])), 'Burstable');
  assert.equal(podQosClass(pod([r(undefined, { cpu: '1', memory: '1Gi' })], [r(undefined, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
  // One best-effort container among limited ones: Burstable.
  assert.equal(podQosClass(pod([r(undefined, { cpu: '1', memory: '1Gi' }), { name: 'd' }])), 'Burstable');
});
