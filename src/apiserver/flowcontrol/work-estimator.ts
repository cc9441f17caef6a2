/**
 * How many seats a request occupies (upstream k8s.io/apiserver/pkg/util/flowcontrol/
 * request list_work_estimator.go, with upstream's defaults: 100 objects per seat, 1 to 10
 * seats). Lists and watches are estimated from the number of stored objects of their
 * resource: all of them when served from the watch cache (`resourceVersion` given, not
 * Exact; and every watch), stored + limit with a selector, else 2 × limit (limit = the
 * smaller of `limit` and the stored count). Everything else takes 1 seat (upstream's
 * extra seats of mutating requests for watch notifications are not estimated).
 */
import type { Attributes } from '../authz/authorizer.js';

export const MIN_SEATS = 1;
export const MAX_SEATS = 10;
export const OBJECTS_PER_SEAT = 100;

/** The stored object count of a resource, when known (undefined: 1 seat). */
export type ObjectCountOf = (group: string, resource: string) => number | undefined;

/** Seats of the request `a` with its `query`, given the stored object counts `countOf`; see the module comment. */
export function estimateSeats(a: Attributes, { query, countOf }: { query: URLSearchParams; countOf: ObjectCountOf }): number {
  if (!a.resourceRequest || (a.verb !== 'list' && a.verb !== 'watch') || a.subresource) return MIN_SEATS;
  const stored = countOf(a.apiGroup ?? '', a.resource ?? '');
  if (stored === undefined) return MIN_SEATS;
  const limitParam = Number(query.get('limit') ?? 0);
  const limit = limitParam > 0 && limitParam < stored ? limitParam : stored;
  const rv = query.get('resourceVersion') ?? '';
  const fromCache = a.verb === 'watch' || (rv !== '' && query.get('resourceVersionMatch') !== 'Exact' && !query.get('continue'));
  const objects = fromCache ? stored : (a.fieldSelector || a.labelSelector) ? stored + limit : 2 * limit;
  return Math.min(MAX_SEATS, Math.max(MIN_SEATS, Math.ceil(objects / OBJECTS_PER_SEAT)));
}

/**
 * Object counts refreshed lazily: `count(group, resource)` is asked again at most every
 * `maxAgeMs` (default 10 s, upstream refreshes its storage object counts each minute), in
 * the background; until the first answer the count is unknown.
 */
export function cachedObjectCounts(count: (group: string, resource: string) => Promise<number | undefined>, opts: { maxAgeMs?: number; now?: () => number } = {}): ObjectCountOf {
  const maxAge = opts.maxAgeMs ?? 10_000;
  const now = opts.now ?? (() => performance.now());
  const known = new Map<string, { n?: number; at: number; pending: boolean }>();
  return (group, resource) => {
    const key = `${group}/${resource}`;
    let e = known.get(key);
    if (!e) known.set(key, (e = { at: -Infinity, pending: false }));
    if (!e.pending && now() - e.at > maxAge) {
      const entry = e;
      entry.pending = true;
      count(group, resource).then((n) => { entry.n = n; }, () => undefined).finally(() => { entry.pending = false; entry.at = now(); });
    }
    return e.n;
  };
}
