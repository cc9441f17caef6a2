/**
 * The PersistentVolumeClaims a pod uses (upstream volumebinding binder.go
 * GetPodVolumeClaims / ephemeral.VolumeClaimName): `persistentVolumeClaim.claimName`
 * volumes, and for `ephemeral` volumes the claim `<pod name>-<volume name>` that the
 * ephemeral volume controller creates.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';

/** Claim names of the pod's volumes, in volume order (duplicates kept once). */
export function podClaimNames(pod: Pod): string[] {
  const names = new Set<string>();
  for (const v of (pod.spec?.volumes ?? []) as Array<{ name: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }>) {
    if (v.persistentVolumeClaim?.claimName) names.add(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.add(`${pod.metadata.name}-${v.name}`);
  }
  return [...names];
}
