/**
 * The PersistentVolumeClaims a pod uses (upstream volumebinding binder.go
 * GetPodVolumeClaims / ephemeral.VolumeClaimName): `persistentVolumeClaim.claimName`
 * volumes, and for `ephemeral` volumes the claim `<pod name>-<volume name>` that the
 * ephemeral volume controller creates.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../../api/object.js';
import { skip, unschedulable, type ObjectGetter, type Status } from '../../framework/interface.js';

/** Claim names of the pod's volumes, in volume order (duplicates kept once). */
export function podClaimNames(pod: Pod): string[] {
  const names = new Set<string>();
  for (const v of (pod.spec?.volumes ?? []) as Array<{ name: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }>) {
    if (v.persistentVolumeClaim?.claimName) names.add(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.add(`${pod.metadata.name}-${v.name}`);
  }
  return [...names];
}

/**
 * The pod's claims read from the informer cache through `get`, in volume order, for a
 * volume plugin's PreFilter: Skip when the pod has none (or there is no getter); a claim
 * that does not exist is UnschedulableAndUnresolvable `persistentvolumeclaim "x" not
 * found` (upstream GetPodVolumeClaims / VolumeRestrictions' readWriteOncePodPreFilter).
 */
export function readPodClaims(pod: Pod, get: ObjectGetter | undefined): Array<{ name: string; pvc: KubeObject }> | Status {
  if (!get) return skip();
  const out: Array<{ name: string; pvc: KubeObject }> = [];
  for (const name of podClaimNames(pod)) {
    const pvc = get('persistentvolumeclaims', pod.metadata.namespace ?? '', name);
    if (!pvc) return unschedulable(`persistentvolumeclaim "${name}" not found`, true);
    out.push({ name, pvc });
  }
  return out.length ? out : skip();
}
