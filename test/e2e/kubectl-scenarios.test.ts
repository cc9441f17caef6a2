/**
 * Issue #5 acceptance 1: the kubectl scenario suite (test/scenarios/*.yaml, format in
 * test/support/scenario.ts) against a live single-node `k8ts server` with real
 * containers. Each scenario runs with kubectl 1.32 and then with every other kubectl
 * version it lists (ARCHITECTURE.md §4 binaries); a listed binary that is missing fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, eventually, k8ts, KUBECTL, kubectlRaw, REPO, startServerProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';
import { parseScenario, runScenario } from '../support/scenario.js';

const SCENARIOS = join(REPO, 'test/scenarios');
const versionBinary = (v: string): string => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;


describe('kubectl scenario suite (issue #5)', { timeout: 1_200_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-scenarios-'));
    // No `k8ts images build` first: a bare server on a fresh data dir builds and imports its offline images itself.
    server = startServerProcess(dataDir, ['--https-listen-port', String(await freePort()), '--kubelet-port', String(await freePort()), '--node-name', 'scenario-node']);
    await eventually('node Ready', async () => {
      if (!existsSync(server.kubeconfig)) return undefined;
      const r = await kubectlRaw(server.kubeconfig, ['get', 'nodes', '--no-headers']);
      return r.code === 0 && /\sReady\s/.test(r.stdout);
      // Patience for a loaded machine: this first start also builds the offline images.
    }, 60_000);
  });

  after(async () => {
    if (server) await stopServerProcess(server);
    const r = await k8ts(['killall', '--data-dir', dataDir]);
    if (r.code !== 0) console.error(r.stderr);
    if (process.env.K8TS_KEEP_E2E !== '1') rmSync(dataDir, { recursive: true, force: true });
  });

  // K8TS_SCENARIOS=a,b runs only the scenario files whose names contain one of the words (a developer's loop; CI runs all).
  const only = process.env.K8TS_SCENARIOS?.split(',').filter(Boolean);
  for (const file of readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml') && (!only || only.some((w) => f.includes(w)))).sort()) {
    const scenario = parseScenario(readFileSync(join(SCENARIOS, file), 'utf8'), file);
    it(`${file}: ${scenario.name}`, async () => {
      await runScenario(scenario, KUBECTL, server.kubeconfig);
      for (const v of scenario.versions ?? []) {
        assert.ok(existsSync(versionBinary(v)), `kubectl ${v} is missing at ${versionBinary(v)}`);
        await runScenario(scenario, versionBinary(v), server.kubeconfig);
      }
    });
  }
});
