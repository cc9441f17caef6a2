import { it } from 'node:test';
import assert from 'node:assert/strict';
import { allocatable, observe, pressure, thresholdsMet } from './eviction.js';
import { nodeImages, nodeStatus } from './node-status.js';
import { parseMeminfo } from './stats/machine.js';

const fs = (cap: number, avail: number, inodes = 1000, free = 500) => ({ capacityBytes: cap, availableBytes: avail, usedBytes: cap - avail, inodes, inodesFree: free, inodesUsed: inodes - free });
const machine = (totalKb: number, freeKb: number, maxPid = 1000, curProc = 100) => ({ memory: parseMeminfo(`MemTotal: ${totalKb} kB\nMemFree: ${freeKb} kB\n`), maxPid, curProc });

it('no pressure on a healthy node', () => {
  assert.deepEqual(pressure(thresholdsMet(observe(machine(4 * 1024 * 1024, 2 * 1024 * 1024), fs(1000, 500)))), { memory: false, disk: false, pid: false });
});

it('memory.available < 100Mi is MemoryPressure', () => {
  const met = thresholdsMet(observe(machine(4 * 1024 * 1024, 99 * 1024), fs(1000, 500)));
  assert.deepEqual([...met], ['memory.available']);
  assert.equal(pressure(met).memory, true);
});

it('nodefs < 10%, imagefs < 15% or inodes < 5% is DiskPressure; pid.available < 10% is PIDPressure', () => {
  const m = machine(4 * 1024 * 1024, 2 * 1024 * 1024);
  assert.equal(pressure(thresholdsMet(observe(m, fs(1000, 99)))).disk, true);
  assert.equal(pressure(thresholdsMet(observe(m, fs(1000, 500), fs(1000, 140)))).disk, true);
  assert.equal(pressure(thresholdsMet(observe(m, fs(1000, 500), fs(1000, 160)))).disk, false);
  assert.equal(pressure(thresholdsMet(observe(m, fs(1000, 500, 1000, 40)))).disk, true);
  assert.equal(pressure(thresholdsMet(observe(machine(4 * 1024 * 1024, 2 * 1024 * 1024, 1000, 950), fs(1000, 500)))).pid, true);
});

it('allocatable is capacity less the hard eviction thresholds for memory and ephemeral-storage', () => {
  const a = allocatable({ cpu: '2', memory: '1048576Ki', 'ephemeral-storage': '1000000Ki', pods: '110' });
  assert.deepEqual(a, { cpu: '2', memory: `${1048576 - 100 * 1024}Ki`, 'ephemeral-storage': '900000Ki', pods: '110' });
});

it('status.images: largest first, digests then tags, at most 5 names', () => {
  const imgs = nodeImages([
    { id: 'a', repoTags: ['busybox:latest'], repoDigests: ['busybox@sha256:1'], size: 10 },
    { id: 'b', repoTags: ['t1', 't2', 't3', 't4', 't5', 't6'], repoDigests: [], size: 30 },
    { id: 'c', repoTags: [], repoDigests: [], size: 99 },
  ]);
  assert.deepEqual(imgs, [{ names: ['t1', 't2', 't3', 't4', 't5'], sizeBytes: 30 }, { names: ['busybox@sha256:1', 'busybox:latest'], sizeBytes: 10 }]);
});

it('node status carries pressure conditions, images and allocatable', () => {
  const s = nodeStatus({ nodeName: 'n', port: 10250, dataDir: '/', runtimeVersion: 'containerd://2', ready: true, pressure: { memory: true, disk: false, pid: false }, images: [{ names: ['x'], sizeBytes: 1 }] });
  const mem = s.conditions!.find((c) => c.type === 'MemoryPressure')!;
  assert.equal(mem.status, 'True');
  assert.equal(mem.reason, 'KubeletHasInsufficientMemory');
  assert.equal(s.conditions!.find((c) => c.type === 'DiskPressure')!.status, 'False');
  assert.deepEqual(s.images, [{ names: ['x'], sizeBytes: 1 }]);
  assert.notEqual(s.allocatable!.memory, s.capacity!.memory);
});
