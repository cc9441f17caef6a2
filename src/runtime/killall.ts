/**
 * `k8ts killall` (as k3s-killall.sh): stops every pod of this node's containerd through
 * CRI (so CNI DEL releases addresses and port mappings), stops containerd, kills shims
 * still serving our containerd's address, unmounts what lies under the data dir, and
 * removes the bridge (with its routes), host-local IPAM state, the portmap chains and
 * any nft table named k8ts*, and the cgroups of its containers. Idempotent; touches only what this data dir's node made.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCriClient } from '../kubelet/cri/cri-client.js';
import { alive, isOurContainerd, startContainerd, stopPid } from './containerd.js';
import { containerdPaths } from './paths.js';

const run = promisify(execFile);
const quiet = async (cmd: string, args: string[]): Promise<string> => { try { return (await run(cmd, args)).stdout; } catch { return ''; } };

/** Processes whose command line mentions `needle` (ours: shims of our containerd). */
function pidsWith(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try { if (readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(needle)) out.push(Number(d)); } catch { /* gone */ }
  }
  return out;
}

export async function killall(opts: { dataDir: string; bridge?: string; log?: (m: string) => void }): Promise<void> {
  const log = opts.log ?? (() => undefined);
  const bridge = opts.bridge ?? 'k8ts0';
  const p = containerdPaths(opts.dataDir);
  // Every container and sandbox this node's containerd knows or runs: their cgroups go last.
  const ids = ourContainerIds(p.root, p.state);
  if (existsSync(p.configFile)) {
    // 1. Pods, through CRI.
    const c = await startContainerd({ dataDir: opts.dataDir }).catch((e: Error) => { log(`containerd: ${e.message}`); return undefined; });
    if (c) {
      const cri = createCriClient(c.address);
      try {
        // A containerd just started answers "server is not initialized yet" until its CRI plugin has loaded.
        let sandboxes: Awaited<ReturnType<typeof cri.listPodSandbox>> = [];
        for (const deadline = Date.now() + 30_000; ;) {
          try { sandboxes = await cri.listPodSandbox({}); break; } catch (e) {
            if (Date.now() > deadline || !/not initialized/.test((e as Error).message)) { log(`list sandboxes: ${(e as Error).message}`); break; }
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        for (const sb of sandboxes) {
          await cri.stopPodSandbox(sb.id).catch((e: Error) => log(`stop sandbox ${sb.id}: ${e.message}`));
          await cri.removePodSandbox(sb.id).catch((e: Error) => log(`remove sandbox ${sb.id}: ${e.message}`));
          log(`removed pod sandbox ${sb.metadata?.namespace}/${sb.metadata?.name}`);
        }
      } finally { cri.close(); }
      // 2. containerd itself.
      await c.stop();
      log(`stopped containerd pid ${c.pid}`);
    }
  }
  // A containerd of ours that did not answer in time is still stopped (by its pid file).
  if (existsSync(p.pidFile)) {
    const pid = Number(readFileSync(p.pidFile, 'utf8'));
    if (pid && alive(pid) && isOurContainerd(pid, p.configFile)) { await stopPid(pid, p.pidFile); log(`stopped containerd pid ${pid}`); }
  }
  // 3. Shims of our containerd that outlived it (found by its socket address, even when the config is gone).
  for (const pid of pidsWith(p.address)) {
    try { process.kill(pid, 'SIGKILL'); log(`killed shim pid ${pid}`); } catch { /* gone */ }
  }
  for (const pid of pidsWith(p.address)) { const deadline = Date.now() + 5000; while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20)); }
  // 4. Cgroups of our containers (a SIGKILLed shim leaves them, with the container's processes).
  const removed = await removeCgroups(ids);
  if (removed) log(`removed ${removed} cgroups`);
  // 5. Mounts under the data dir, deepest first.
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && (m.startsWith(opts.dataDir + '/') || m === opts.dataDir));
  for (const m of mounts.sort((a, b) => b.length - a.length)) { await quiet('umount', ['-l', m]); log(`unmounted ${m}`); }
  // 6. Network: the bridge (its routes go with it), IPAM state, portmap chains, our nft tables.
  if (await quiet('ip', ['-o', 'link', 'show', bridge])) { await quiet('ip', ['link', 'del', bridge]); log(`deleted bridge ${bridge}`); }
  rmSync(p.cniDataDir, { recursive: true, force: true });
  // iptables (nat) left by the CNI plugins: masquerade chains of our network `k8ts` and
  // portmap's CNI-HOSTPORT-* chains, with the rules that jump to them.
  const chains = new Set<string>();
  for (const builtin of ['PREROUTING', 'OUTPUT', 'POSTROUTING']) {
    const listing = await quiet('iptables', ['-t', 'nat', '-L', builtin, '--line-numbers', '-n']);
    const doomed: number[] = [];
    for (const line of listing.split('\n')) {
      const m = /^(\d+)\s+(CNI-\S+)/.exec(line);
      if (!m) continue;
      if (m[2].startsWith('CNI-HOSTPORT-') || line.includes('name: "k8ts"')) { doomed.push(Number(m[1])); chains.add(m[2]); }
    }
    for (const n of doomed.sort((x, y) => y - x)) await quiet('iptables', ['-t', 'nat', '-D', builtin, String(n)]);
  }
  for (const ch of chains) await quiet('iptables', ['-t', 'nat', '-F', ch]);
  for (const ch of chains) await quiet('iptables', ['-t', 'nat', '-X', ch]);
  if (chains.size) log(`removed ${chains.size} CNI iptables chains`);
  for (const t of (await quiet('nft', ['list', 'tables'])).split('\n')) {
    const m = /^table (\S+) (k8ts\S*)$/.exec(t.trim());
    if (m) { await quiet('nft', ['delete', 'table', m[1], m[2]]); log(`deleted nft table ${m[1]} ${m[2]}`); }
  }
}

/** IDs of the containers and sandboxes of one containerd: its CRI metadata dirs and live task dirs. */
function ourContainerIds(root: string, state: string): Set<string> {
  const ids = new Set<string>();
  for (const dir of [join(root, 'io.containerd.grpc.v1.cri', 'containers'), join(root, 'io.containerd.grpc.v1.cri', 'sandboxes'), join(state, 'io.containerd.runtime.v2.task', 'k8s.io')]) {
    try { for (const id of readdirSync(dir)) if (/^[0-9a-f]{64}$/.test(id)) ids.add(id); } catch { /* none */ }
  }
  return ids;
}

/**
 * Removes `/sys/fs/cgroup/<controller>/k8s.io/<id>` (cgroupfs driver, v1 and the v2
 * mount) for each id, first killing what still runs in it. Returns how many went.
 */
async function removeCgroups(ids: Set<string>): Promise<number> {
  const base = '/sys/fs/cgroup';
  let controllers: string[] = [];
  try { controllers = readdirSync(base); } catch { return 0; }
  let removed = 0;
  for (const id of ids) {
    for (const c of controllers) {
      const dir = join(base, c, 'k8s.io', id);
      if (!existsSync(dir)) continue;
      try { for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } } } catch { /* no procs file */ }
      for (const deadline = Date.now() + 3000; ;) {
        try { rmdirSync(dir); removed++; break; } catch { if (Date.now() > deadline) break; await new Promise((r) => setTimeout(r, 50)); }
      }
    }
  }
  return removed;
}
