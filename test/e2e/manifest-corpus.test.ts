/**
 * Manifest corpus acceptance: `kubectl apply --dry-run=server -f` over every file in
 * test/fixtures/manifests/<kind>/<name>.yaml against a `k8ts server --disable-agent`.
 * Each file starts with `# expect: ok` or `# expect: error /<regex>/` where the regex
 * matches upstream Kubernetes v1.32's message for that manifest. Namespaced objects use
 * the `corpus` namespace, created first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { freePort, eventually, kubectl, kubectlRaw, REPO, startServerProcess, stopServerProcess, type ServerProcess } from '../support/kubectl.js';

const CORPUS = join(REPO, 'test/fixtures/manifests');
/** Resources that cannot be created as stand-alone objects with `kubectl apply`. */
const NOT_APPLIABLE = new Set(['componentstatuses', 'bindings', 'evictions', 'tokenreviews', 'selfsubjectreviews',
  'localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews']);


type Expectation = { ok: true } | { ok: false; re: RegExp };
interface Fixture { file: string; rel: string; expect: Expectation; kinds: string[] }

/** Reads the leading `# expect:` comment of a manifest. */
export function parseExpectation(text: string, rel: string): Expectation {
  const line = text.split('\n').find((l) => /^#\s*expect:/.test(l));
  if (!line) throw new Error(`${rel}: no leading "# expect:" comment`);
  const body = line.replace(/^#\s*expect:\s*/, '').trim();
  if (body === 'ok') return { ok: true };
  const m = /^error\s+\/(.*)\/([a-z]*)$/.exec(body);
  if (!m) throw new Error(`${rel}: cannot parse expectation "${body}"`);
  return { ok: false, re: new RegExp(m[1], m[2]) };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(p);
  }
  return out;
}

function loadCorpus(): Fixture[] {
  return walk(CORPUS).map((file) => {
    const rel = relative(CORPUS, file);
    const text = readFileSync(file, 'utf8');
    const kinds = YAML.parseAllDocuments(text).map((d) => d.toJS() as { kind?: unknown } | null)
      .filter((d): d is { kind?: unknown } => !!d && typeof d === 'object').map((d) => String(d.kind ?? ''));
    return { file, rel, expect: parseExpectation(text, rel), kinds };
  });
}

describe('manifest corpus: kubectl apply --dry-run=server', { timeout: 1_200_000 }, () => {
  const fixtures = loadCorpus();
  let dataDir: string;
  let server: ServerProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'k8ts-corpus-'));
    server = startServerProcess(dataDir, ['--https-listen-port', String(await freePort()), '--disable-agent', '--node-name', 'corpus-node']);
    await eventually('kubeconfig', () => existsSync(server.kubeconfig), 60_000);
    await eventually('kubectl get ns default', async () => (await kubectlRaw(server.kubeconfig, ['get', 'ns', 'default'])).code === 0, 60_000);
    await kubectl(server.kubeconfig, ['create', 'namespace', 'corpus']);
    // Pods are admitted only once the namespace's default ServiceAccount exists (upstream likewise).
    await eventually('serviceaccount corpus/default', async () => (await kubectlRaw(server.kubeconfig, ['get', 'sa', 'default', '-n', 'corpus'])).code === 0, 30_000);
  });

  after(async () => {
    if (server) await stopServerProcess(server);
    if (dataDir && process.env.K8TS_KEEP_E2E !== '1') rmSync(dataDir, { recursive: true, force: true });
  });

  it('has at least 150 manifests, about a fifth of them invalid', () => {
    assert.ok(fixtures.length >= 150, `only ${fixtures.length} manifests`);
    const invalid = fixtures.filter((f) => !f.expect.ok).length;
    assert.ok(invalid >= fixtures.length * 0.15, `only ${invalid} invalid manifests of ${fixtures.length}`);
  });

  it('covers every creatable kind the server serves', async () => {
    const out = await kubectl(server.kubeconfig, ['api-resources', '--verbs=create', '--no-headers', '-o', 'wide']);
    const served = new Map<string, string>();
    for (const line of out.split('\n').filter(Boolean)) {
      const cols = line.trim().split(/\s+/);
      // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS [CATEGORIES]
      const nsIdx = cols.findIndex((c, i) => i > 0 && (c === 'true' || c === 'false'));
      served.set(cols[0], cols[nsIdx + 1]);
    }
    assert.ok(served.size > 0, `could not parse kubectl api-resources output:\n${out}`);
    const covered = new Set(fixtures.filter((f) => f.expect.ok).flatMap((f) => f.kinds));
    const missing = [...served].filter(([name, kind]) => !NOT_APPLIABLE.has(name) && !covered.has(kind)).map(([name, kind]) => `${name} (${kind})`);
    assert.deepEqual(missing, [], `kinds without an accepted manifest in the corpus: ${missing.join(', ')}`);
  });

  it('every manifest is accepted, or refused with upstream v1.32\'s reason', async () => {
    const failures: string[] = [];
    for (const f of fixtures) {
      const r = await kubectlRaw(server.kubeconfig, ['apply', '--dry-run=server', '-f', f.file], { timeoutMs: 30_000 });
      if (f.expect.ok) {
        if (r.code !== 0 || !/\(server dry run\)/.test(r.stdout)) failures.push(`${f.rel}: expected ok, got exit ${r.code}\n  stdout: ${r.stdout.trim()}\n  stderr: ${r.stderr.trim()}`);
      } else if (r.code === 0 || !f.expect.re.test(r.stderr)) {
        failures.push(`${f.rel}: expected error ${f.expect.re}, got exit ${r.code}\n  stdout: ${r.stdout.trim()}\n  stderr: ${r.stderr.trim()}`);
      }
    }
    assert.equal(failures.length, 0, `${failures.length} of ${fixtures.length} manifests failed:\n${failures.join('\n')}`);
  });
});
