/**
 * The expected number of pods behind a budget: the summed scale of the pods' controllers
 * (upstream pkg/controller/disruption/disruption.go getExpectedScale and its finders
 * getPodReplicaSet, getPodDeployment, getPodReplicationController, getPodStatefulSet).
 * The generic `/scale` finder for custom resources is not implemented.
 */
import type { KubeObject, OwnerReference } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Lister } from '../../client/informers/types.js';
import { controllerRef } from '../controller.js';

type Scalable = KubeObject & { spec?: { replicas?: number } };

/** The listers the finders read. */
export interface ScaleListers { replicasets: Lister<Scalable>; deployments: Lister<Scalable>; replicationcontrollers: Lister<Scalable>; statefulsets: Lister<Scalable> }

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** The object `ref` names in `namespace` when kind, group and UID agree. */
function resolve(lister: Lister<Scalable>, ref: OwnerReference, namespace: string, kind: string, group: string): Scalable | undefined {
  if (ref.kind !== kind || groupOf(ref.apiVersion) !== group) return undefined;
  const obj = lister.get(`${namespace}/${ref.name}`);
  return obj && obj.metadata.uid === ref.uid ? obj : undefined;
}

type Finder = (l: ScaleListers, ref: OwnerReference, ns: string) => { uid: string; scale: number } | undefined;

const scaleOf = (o: Scalable) => ({ uid: o.metadata.uid!, scale: o.spec?.replicas ?? 0 });

const finders: Finder[] = [
  // A ReplicaSet not controlled by a Deployment.
  (l, ref, ns) => {
    const rs = resolve(l.replicasets, ref, ns, 'ReplicaSet', 'apps');
    return rs && controllerRef(rs)?.kind !== 'Deployment' ? scaleOf(rs) : undefined;
  },
  // The Deployment controlling the pod's ReplicaSet.
  (l, ref, ns) => {
    const rs = resolve(l.replicasets, ref, ns, 'ReplicaSet', 'apps');
    const dref = rs && controllerRef(rs);
    const d = dref && resolve(l.deployments, dref, ns, 'Deployment', 'apps');
    return d ? scaleOf(d) : undefined;
  },
  (l, ref, ns) => { const rc = resolve(l.replicationcontrollers, ref, ns, 'ReplicationController', ''); return rc && scaleOf(rc); },
  (l, ref, ns) => { const ss = resolve(l.statefulsets, ref, ns, 'StatefulSet', 'apps'); return ss && scaleOf(ss); },
];

/**
 * Sum of the scale of the distinct controllers of `pods`, and the names of pods with no
 * controller reference (upstream skips those, reporting them). Throws Error
 * `found no controllers for pod "<name>"` when a pod's controller is none of
 * ReplicaSet/Deployment, ReplicationController or StatefulSet, or is missing.
 */
export function expectedScale(listers: ScaleListers, pods: Pod[]): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (!ref) { unmanaged.push(pod.metadata.name!); continue; }
    if (scales.has(ref.uid)) continue;
    let found: { uid: string; scale: number } | undefined;
    for (const f of finders) if ((found = f(listers, ref, pod.metadata.namespace ?? ''))) break;
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const n of scales.values()) expected += n;
  return { expected, unmanaged };
}
