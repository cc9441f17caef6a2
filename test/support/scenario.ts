/**
 * The kubectl scenario format (issue #5 acceptance 1): a YAML file with a `name` and a
 * list of `steps`, each one kubectl command and what it must print:
 *
 *   name: dry-run delete leaves the object
 *   steps:
 *     - kubectl: create configmap dr --from-literal=a=1
 *     - kubectl: delete configmap dr --dry-run=server
 *       stdout: 'configmap "dr" deleted \(server dry run\)'
 *     - kubectl: get configmap nope
 *       exit: 1
 *       stderr: 'configmaps "nope" not found'
 *
 * Step fields: `kubectl` (arguments, split like a shell: quotes group, no expansion),
 * `stdin`, `stdinOpen` (seconds to keep stdin open after writing it, for attached
 * sessions: containerd detaches an attach whose stdin ends unless the container has
 * stdinOnce), `exit` (default 0), `stdout` / `stderr` (a regular expression or a list that
 * must all match; multiline), `notStdout` (must not match), `eventually` (seconds to
 * retry until the step passes), `env` (extra environment, e.g. KUBE_EDITOR), `timeout`
 * (seconds, default 60). `{{file:NAME}}` in arguments is replaced by the path of a
 * fixture file written from the scenario's `files` map, `{{dir}}` by their folder (for `-k`). A scenario may list the
 * kubectl `versions` it must also pass with (binaries of ARCHITECTURE.md §4), and
 * `cleanup` commands run before and after each run whatever their outcome (e.g.
 * `delete namespace x --ignore-not-found`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import YAML from 'yaml';

export interface ScenarioStep {
  kubectl: string;
  stdin?: string;
  stdinOpen?: number;
  exit?: number;
  stdout?: string | string[];
  stderr?: string | string[];
  notStdout?: string | string[];
  eventually?: number;
  env?: Record<string, string>;
  timeout?: number;
}

export interface Scenario { name: string; versions?: string[]; files?: Record<string, string>; cleanup?: string[]; steps: ScenarioStep[] }

/** Parses a scenario file's text; throws Error naming what is malformed. */
export function parseScenario(text: string, source: string): Scenario {
  const s = YAML.parse(text) as Scenario;
  if (!s || typeof s.name !== 'string' || !Array.isArray(s.steps)) throw new Error(`${source}: a scenario needs a name and steps`);
  s.steps.forEach((st, i) => { if (typeof st.kubectl !== 'string') throw new Error(`${source}: step ${i + 1} has no kubectl command`); });
  return s;
}

/** Splits a command line like a shell: whitespace separates, single and double quotes group. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (const c of line) {
    if (quote) { if (c === quote) quote = undefined; else cur += c; continue; }
    if (c === '"' || c === "'") { quote = c; has = true; continue; }
    if (/\s/.test(c)) { if (has || cur) { out.push(cur); cur = ''; has = false; } continue; }
    cur += c;
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (has || cur) out.push(cur);
  return out;
}

interface Result { code: number; stdout: string; stderr: string }

function exec(bin: string, args: string[], step: ScenarioStep, kubeconfig: string, tmp: string): Promise<Result> {
  return new Promise((resolve) => {
    // TMPDIR: kubectl keeps a failed edit's copy there ("A copy of your changes has been stored to …"), removed with the scenario's folder.
    const child = execFile(bin, args, { env: { ...process.env, KUBECONFIG: kubeconfig, TMPDIR: tmp, ...step.env }, timeout: (step.timeout ?? 60) * 1000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0, stdout, stderr }));
    if (!step.stdinOpen) { child.stdin!.end(step.stdin ?? ''); return; }
    child.stdin!.write(step.stdin ?? '');
    const timer = setTimeout(() => child.stdin!.end(), step.stdinOpen * 1000);
    child.on('exit', () => clearTimeout(timer));
    child.stdin!.on('error', () => undefined);
  });
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Why a result fails its step, or undefined when it passes. */
export function checkStep(step: ScenarioStep, r: Result): string | undefined {
  if (r.code !== (step.exit ?? 0)) return `exit ${r.code}, want ${step.exit ?? 0}`;
  for (const re of list(step.stdout)) if (!new RegExp(re, 'm').test(r.stdout)) return `stdout does not match /${re}/`;
  for (const re of list(step.stderr)) if (!new RegExp(re, 'm').test(r.stderr)) return `stderr does not match /${re}/`;
  for (const re of list(step.notStdout)) if (new RegExp(re, 'm').test(r.stdout)) return `stdout matches /${re}/`;
  return undefined;
}

/**
 * Runs every step of `s` with kubectl binary `bin` against `kubeconfig`. Throws Error
 * naming the scenario, step, command and output of the first step that fails.
 */
export async function runScenario(s: Scenario, bin: string, kubeconfig: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-scenario-'));
  for (const [name, content] of Object.entries(s.files ?? {})) writeFileSync(join(dir, name), content);
  const tmp = join(dir, '.tmp');
  mkdirSync(tmp);
  const cleanup = async (): Promise<void> => {
    for (const c of s.cleanup ?? []) await exec(bin, splitArgs(c), { kubectl: c, timeout: 120 }, kubeconfig, tmp);
  };
  await cleanup();
  try {
    await runSteps(s, bin, kubeconfig, dir, tmp);
  } finally {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runSteps(s: Scenario, bin: string, kubeconfig: string, dir: string, tmp: string): Promise<void> {
  for (const [i, step] of s.steps.entries()) {
    const args = splitArgs(step.kubectl).map((a) => a.replace(/\{\{file:([^}]+)\}\}/g, (_m, f: string) => join(dir, f)).replace(/\{\{dir\}\}/g, dir));
    const deadline = Date.now() + (step.eventually ?? 0) * 1000;
    for (;;) {
      const r = await exec(bin, args, step, kubeconfig, tmp);
      const why = checkStep(step, r);
      if (!why) break;
      if (Date.now() >= deadline) {
        throw new Error(`${s.name}: step ${i + 1} \`kubectl ${step.kubectl}\` (${bin}): ${why}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`);
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}
