import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuRateCache, SummaryProvider } from './summary.js';
import { parseMeminfo, parseProcStatCpu, parseBootTime } from './machine.js';
import { renderResourceMetrics } from './resource-metrics.js';
import { fakeStatsCri, sandbox, container, usage, type FakeCriState } from './fake-cri.js';
import { tempDirs } from '../../../test/support/temp-dirs.js';

const temp = tempDirs();
after(() => temp.removeAll());

it('cpu nanocores come from two cumulative samples', () => {
  const c = new CpuRateCache();
  assert.equal(c.rate('a', 1e9, 5e8), undefined);
  assert.equal(c.rate('a', 3e9, 15e8), 5e8); // 1 core-second over 2 s = half a core
  assert.equal(c.rate('a', 3e9, 15e8), 5e8); // same timestamp: the last rate
  c.prune(); c.prune();
  assert.equal(c.rate('a', 4e9, 16e8), undefined); // forgotten after a prune without use
});

it('/proc parsers: busy cpu ticks, boot time, memory working set', () => {
  assert.equal(parseProcStatCpu('cpu  100 0 50 1000 5 1 2 3 0 0\ncpu0 1 2 3\nbtime 1700000000\n'), (156 * 1e9) / 100);
  assert.equal(parseBootTime('cpu 1\nbtime 1700000000\n'), 1_700_000_000_000);
  const m = parseMeminfo('MemTotal: 1000 kB\nMemFree: 400 kB\nBuffers: 10 kB\nCached: 100 kB\nInactive(file): 50 kB\n', 'pgfault 7\npgmajfault 2\n');
  assert.deepEqual(m, { capacityBytes: 1024000, usageBytes: 614400, workingSetBytes: 563200, availableBytes: 460800, rssBytes: 501760, pageFaults: 7, majorPageFaults: 2 });
});

function setup(): { state: FakeCriState; provider: SummaryProvider; root: string; now: { t: number } } {
  const sb = sandbox('sb1', 'default', 'web', 'uid-1');
  const gone = { ...sandbox('sb2', 'default', 'old', 'uid-2'), state: 'SANDBOX_NOTREADY' as const };
  const state: FakeCriState = {
    sandboxes: [sb, gone],
    containers: [container('c1', sb, 'app'), container('c0', sb, 'app', 1_600_000_000e9, 'CONTAINER_EXITED'), container('c2', sb, 'side')],
    containerStats: [usage('c1', 'app', 10e9, 2e9, 1000), usage('c2', 'side', 10e9, 1e9, 500)],
    sandboxStats: [],
    images: [],
  };
  const root = temp.make('kubelet-stats-');
  mkdirSync(join(root, 'logs', 'default_web_uid-1', 'app'), { recursive: true });
  writeFileSync(join(root, 'logs', 'default_web_uid-1', 'app', '0.log'), 'x'.repeat(300));
  mkdirSync(join(root, 'pods', 'uid-1', 'volumes', 'cache'), { recursive: true });
  writeFileSync(join(root, 'pods', 'uid-1', 'volumes', 'cache', 'f'), 'y'.repeat(50));
  const now = { t: 1_700_000_100_000 };
  const provider = new SummaryProvider({
    cri: fakeStatsCri(state), nodeName: 'n1', rootDir: root, now: () => now.t,
    machine: () => ({ cpuCoreNanoSeconds: now.t * 1e6 / 2, bootTimeMs: 1_690_000_000_000, memory: parseMeminfo('MemTotal: 1000 kB\nMemFree: 400 kB\n'), maxPid: 4096, curProc: 100 }),
    statfs: () => ({ capacityBytes: 1e9, availableBytes: 4e8, usedBytes: 6e8, inodes: 1000, inodesFree: 900, inodesUsed: 100 }),
  });
  return { state, provider, root, now };
}

it('the Summary has the node and one entry per ready sandbox with its running containers', async () => {
  const { state, provider, now } = setup();
  const s1 = await provider.get();
  assert.equal(s1.node.nodeName, 'n1');
  assert.equal(s1.node.startTime, new Date(1_690_000_000_000).toISOString().replace('.000Z', 'Z'));
  assert.equal(s1.node.memory?.workingSetBytes, 614400);
  assert.equal(s1.node.systemContainers?.[0].name, 'kubelet');
  assert.ok(s1.node.systemContainers![0].memory!.workingSetBytes! > 0);
  assert.equal(s1.node.fs?.availableBytes, 4e8);
  assert.equal(s1.node.runtime?.imageFs?.usedBytes, 1000);
  assert.deepEqual(s1.node.rlimit && { maxpid: s1.node.rlimit.maxpid, curproc: s1.node.rlimit.curproc }, { maxpid: 4096, curproc: 100 });
  assert.equal(s1.node.cpu?.usageNanoCores, undefined); // one sample so far
  assert.equal(s1.pods.length, 1);
  const p = s1.pods[0];
  assert.deepEqual(p.podRef, { name: 'web', namespace: 'default', uid: 'uid-1' });
  assert.deepEqual(p.containers.map((c) => c.name), ['app', 'side']);
  assert.equal(p.containers[0].cpu?.usageCoreNanoSeconds, 2e9);
  assert.equal(p.containers[0].logs?.usedBytes, 300);
  assert.equal(p.containers[0].rootfs?.usedBytes, 4096);
  assert.equal(p.memory?.workingSetBytes, 1500); // summed from the containers (no sandbox stats)
  assert.deepEqual(p.volume?.map((v) => [v.name, v.usedBytes, v.capacityBytes]), [['cache', 50, 1e9]]);
  assert.equal(p['ephemeral-storage']?.usedBytes, 4096 * 2 + 300 + 50);

  // Second sample, 2 s later: app used 1 more core-second → 0.5 cores.
  now.t += 2000;
  state.containerStats = [usage('c1', 'app', 12e9, 3e9, 1000), usage('c2', 'side', 12e9, 1e9, 500)];
  const s2 = await provider.get();
  assert.equal(s2.pods[0].containers[0].cpu?.usageNanoCores, 5e8);
  assert.equal(s2.pods[0].containers[1].cpu?.usageNanoCores, 0);
  assert.equal(s2.pods[0].cpu?.usageNanoCores, 5e8);
  assert.equal(s2.node.cpu?.usageNanoCores, 5e8); // the fake machine burns half a core
});

it('pod usage comes from the sandbox stats when the runtime reports them', async () => {
  const { state, provider } = setup();
  state.sandboxStats = [{ attributes: { id: 'sb1', metadata: state.sandboxes[0].metadata, labels: {}, annotations: {} }, linux: { cpu: { timestamp: 10e9, usageCoreNanoSeconds: { value: 7e9 } }, memory: { timestamp: 10e9, workingSetBytes: { value: 9999 } }, process: { timestamp: 10e9, processCount: { value: 3 } } } }];
  const s = await provider.get();
  assert.equal(s.pods[0].cpu?.usageCoreNanoSeconds, 7e9);
  assert.equal(s.pods[0].memory?.workingSetBytes, 9999);
  assert.deepEqual(s.pods[0].process_stats, { process_count: 3 });
});

it('resource metrics render the Summary with upstream names and labels', async () => {
  const { provider } = setup();
  const text = renderResourceMetrics(await provider.get());
  assert.match(text, /^# HELP container_cpu_usage_seconds_total \[STABLE\] Cumulative cpu time consumed by the container in core-seconds$/m);
  assert.match(text, /^# TYPE container_cpu_usage_seconds_total counter$/m);
  assert.match(text, /^container_cpu_usage_seconds_total\{container="app",namespace="default",pod="web"\} 2 10000$/m);
  assert.match(text, /^container_memory_working_set_bytes\{container="side",namespace="default",pod="web"\} 500 10000$/m);
  assert.match(text, /^container_start_time_seconds\{container="app",namespace="default",pod="web"\} 1700000001 1700000001000$/m);
  assert.match(text, /^pod_memory_working_set_bytes\{namespace="default",pod="web"\} 1500 \d+$/m);
  assert.match(text, /^pod_cpu_usage_seconds_total\{namespace="default",pod="web"\} 3 \d+$/m);
  assert.match(text, /^node_memory_working_set_bytes 614400 \d+$/m);
  assert.match(text, /^node_cpu_usage_seconds_total [\d.e+]+ \d+$/m);
  assert.match(text, /^resource_scrape_error 0$/m);
  assert.match(text, /^scrape_error 0$/m);
  assert.match(renderResourceMetrics(undefined), /^resource_scrape_error 1$/m);
});
