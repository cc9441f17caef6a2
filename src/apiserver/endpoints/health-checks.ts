/**
 * `/healthz`, `/livez` and `/readyz` with their named checks (upstream
 * k8s.io/apiserver/pkg/server/healthz, as facts): `ping`, `log`, `etcd` (the datastore
 * answers a revision read within 2 s — upstream's --etcd-healthcheck-timeout), and on
 * /readyz also `etcd-readiness`. `/<endpoint>/<check>` runs one check. Passing: 200 `ok`
 * (or the `[+]…` list with `?verbose`). Failing: 500 with the list, failed checks as
 * `[-]etcd failed: reason withheld`, then `<endpoint> check failed`; `?exclude=<check>`
 * skips a check.
 */

/** A named check; rejects when unhealthy. */
export interface HealthCheck { name: string; check(): Promise<void> }

/** How long the datastore may take to answer before it counts as unhealthy (ms). */
const DATASTORE_TIMEOUT_MS = 2000;

/** The checks of `endpoint` ('healthz' | 'livez' | 'readyz') over a datastore revision read. */
export function healthChecks(endpoint: string, currentRevision: () => Promise<number>): HealthCheck[] {
  const etcd = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([currentRevision(), new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('datastore timed out')), DATASTORE_TIMEOUT_MS); })]);
    } finally { clearTimeout(timer); }
  };
  const checks: HealthCheck[] = [{ name: 'ping', check: async () => undefined }, { name: 'log', check: async () => undefined }, { name: 'etcd', check: etcd }];
  if (endpoint === 'readyz') checks.push({ name: 'etcd-readiness', check: etcd });
  return checks;
}

/** The answer to `/<endpoint>[/<check>]`: status and plain-text body; undefined when the named check does not exist (404). */
export async function runHealthChecks(path: string, params: URLSearchParams, currentRevision: () => Promise<number>): Promise<{ status: number; body: string } | undefined> {
  const [endpoint, only] = path.slice(1).split('/');
  let checks = healthChecks(endpoint, currentRevision);
  if (only) {
    checks = checks.filter((c) => c.name === only);
    if (!checks.length) return undefined;
  }
  const excluded = new Set(params.getAll('exclude'));
  const results = await Promise.all(checks.filter((c) => !excluded.has(c.name)).map(async (c) => ({ name: c.name, ok: await c.check().then(() => true, () => false) })));
  const failed = results.some((r) => !r.ok);
  if (only) return failed ? { status: 500, body: `internal server error: ${only} check failed\n` } : { status: 200, body: 'ok' };
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  if (failed) return { status: 500, body: `${lines.join('\n')}\n${endpoint} check failed\n` };
  return { status: 200, body: params.has('verbose') ? `${lines.join('\n')}\n${endpoint} check passed\n` : 'ok' };
}
