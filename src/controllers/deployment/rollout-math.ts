/**
 * Rollout arithmetic of the Deployment controller (upstream
 * pkg/controller/deployment/util/deployment_util.go): maxSurge/maxUnavailable
 * resolution, the pod-template-hash, and template equality ignoring the hash label.
 */
import type { PodTemplateSpec } from '../../api/core/v1/pod-types.js';
import type { Deployment } from '../../api/apps/v1/types.js';
import { stableJson } from '../../machinery/stable-json.js';
import { safeEncodeString } from '../../machinery/rand.js';

/** An int-or-percent of `total`; percentages round up for surge, down for unavailable. */
export function resolveIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge and maxUnavailable for `d` (both 0 → unavailable 1, as upstream). */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  if (d.spec?.strategy?.type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}


/** Drops null-valued fields (`creationTimestamp: null` from clients means "unset", as in Go). */
const withoutNulls = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(withoutNulls)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]))
      : v;

/** The template without the pod-template-hash label or null fields, canonical JSON. */
export function templateKey(t: PodTemplateSpec | undefined): string {
  const c = withoutNulls(structuredClone(t ?? {})) as PodTemplateSpec;
  if (c.metadata?.labels) {
    delete c.metadata.labels['pod-template-hash'];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  return stableJson(c);
}

/** The pod-template-hash label value: FNV-1a of the template (plus collisionCount), in upstream's safe alphabet. */
export function podTemplateHash(t: PodTemplateSpec | undefined, collisionCount = 0): string {
  let h = 0x811c9dc5;
  for (const ch of templateKey(t) + (collisionCount ? String(collisionCount) : '')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return safeEncodeString(String(h));
}
