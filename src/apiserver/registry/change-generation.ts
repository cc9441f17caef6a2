/**
 * A counter that moves whenever anything under some storage prefixes changes: one
 * recursive watch per prefix, from now on; every event (and every end of a watch, after
 * which it is opened again) bumps the counter. Caches of derived data (the RBAC rule
 * resolver's per-user rules) keep the counter value they were computed at and are
 * stale once it moved — the way upstream's authorizers follow informers, and correct
 * with several apiservers on one etcd, since changes are seen through storage, not
 * through this process's own writes.
 */
import type { Storage } from '../../storage/interface.js';

export interface ChangeGeneration {
  /** The current value; it only grows. */
  current(): number;
}

/** Watches `prefixes` (each ending with '/') of `storage` until the storage closes. */
export function watchChangeGeneration(storage: Storage, prefixes: string[]): ChangeGeneration {
  let generation = 0;
  let closed = false;
  const follow = async (prefix: string): Promise<void> => {
    while (!closed) {
      try {
        for await (const ev of storage.watch(prefix, { recursive: true })) {
          if (ev.type !== 'PROGRESS') generation++;
        }
      } catch (err) {
        if (/closed/i.test((err as Error).message ?? '')) closed = true;
      }
      generation++; // anything may have changed while no watch was open
      if (!closed) await new Promise((r) => setTimeout(r, 200).unref());
      // A closed storage ends watches at once; stop once reads fail too.
      if (!closed) await storage.currentRevision().catch(() => { closed = true; });
    }
  };
  for (const p of prefixes) void follow(p);
  return { current: () => generation };
}
