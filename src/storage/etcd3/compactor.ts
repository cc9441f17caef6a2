/**
 * The apiserver's periodic compaction of etcd (upstream
 * k8s.io/apiserver/pkg/storage/etcd3/compact.go, as facts): several apiservers share one
 * etcd, so they coordinate through one key, `compact_rev_key`. Every interval each one
 * tries a transaction "the key's version is still the one I saw → put the current
 * revision"; only the winner compacts, at the revision the key held before (recorded one
 * interval earlier), so every client had a full interval to catch up past it.
 */
import { call, etcdKey, type EtcdContext } from './context.js';
import { compactAt } from './compact.js';

/**
 * Starts compacting every `intervalMs` (upstream --etcd-compaction-interval, 5 min; 0
 * disables). Returns a stop function. Failures are logged and retried at the next tick;
 * the timer does not keep the process alive.
 */
export function startEtcdCompactor(ctx: EtcdContext, intervalMs: number, log: (m: string) => void = console.error): () => void {
  if (intervalMs <= 0) return () => undefined;
  const key = etcdKey(ctx, 'compact_rev_key');
  let version = '0';
  const tick = async (): Promise<void> => {
    const res = await call(ctx, 'compact_rev_key', () => ctx.client.kv.txn({
      compare: [{ key, target: 'Version', result: 'Equal', version }],
      success: [{ request_put: { key, value: Buffer.from(''), prev_kv: true } }],
      failure: [{ request_range: { key } }],
    }));
    if (!res.succeeded) {
      // Another apiserver compacted this interval: remember the version it left.
      version = res.responses[0].response_range?.kvs[0]?.version ?? '0';
      return;
    }
    const prev = res.responses[0].response_put?.prev_kv;
    version = String(Number(version) + 1);
    // The key's previous write happened one interval ago: compact at its revision.
    if (prev) await compactAt(ctx, Number(prev.mod_revision));
  };
  const timer = setInterval(() => { tick().catch((err) => log(`storage: etcd compaction failed: ${(err as Error).message}`)); }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
