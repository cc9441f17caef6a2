/**
 * ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount): a pod created
 * without `serviceAccountName` gets `default` (the deprecated `serviceAccount` field
 * mirrors it), and — unless the pod or its ServiceAccount sets
 * `automountServiceAccountToken: false` — the API access volume `kube-api-access-<5>`
 * (a projected bound token of 3607 s, the `kube-root-ca.crt` ConfigMap's `ca.crt`, the
 * namespace from the downward API) mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every init and app container that
 * does not mount something there itself. Mirror pods are left alone.
 *
 * Known difference: upstream refuses (403) a pod whose ServiceAccount does not exist
 * (after ~2 s of retries for `default`); here such a pod is admitted and mounted as if
 * the ServiceAccount allowed automounting.
 */
import type { KubeObject } from '../../api/object.js';
import type { Container, Pod } from '../../api/core/v1/pod-types.js';
import { randomString } from '../../machinery/rand.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { isPodCreate } from './pod-create.js';

/** Where the token, CA and namespace appear in containers (upstream DefaultAPITokenMountPath). */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Name prefix of the API access volume (upstream ServiceAccountVolumeName). */
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** The projected volume upstream's plugin adds (TokenVolumeSource). */
export function apiAccessVolume(name: string): NonNullable<NonNullable<Pod['spec']>['volumes']>[number] {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  } as never;
}

/** `serviceAccount(namespace, name)`: the stored ServiceAccount, undefined when absent. */
export const serviceAccountAdmission = (serviceAccount: (namespace: string, name: string) => Promise<KubeObject | undefined> = async () => undefined): AdmissionPlugin => ({
  name: 'ServiceAccount',
  async admit(a: AdmissionAttributes) {
    if (!isPodCreate(a)) return;
    const pod = a.object as Pod;
    const spec = (pod.spec ??= {});
    // A mirror pod (the API's copy of a kubelet's static pod) gets no ServiceAccount (upstream shouldIgnore / mirror pods).
    if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.automountServiceAccountToken === false) return;
    if (spec.automountServiceAccountToken === undefined) {
      const sa = await serviceAccount(a.namespace ?? pod.metadata?.namespace ?? '', spec.serviceAccountName) as { automountServiceAccountToken?: boolean } | undefined;
      if (sa?.automountServiceAccountToken === false) return;
    }
    mountApiAccess(spec);
  },
});

/** Adds (or reuses) the API access volume and mounts it where containers lack the mount (upstream mountServiceAccountToken). */
function mountApiAccess(spec: NonNullable<Pod['spec']>): void {
  const volumes = (spec.volumes ??= []);
  let name = volumes.find((v) => v.name?.startsWith(API_ACCESS_VOLUME_PREFIX))?.name;
  const needed = (c: Container) => !(c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter(needed);
  if (!containers.length && !name) return;
  if (!name) {
    const taken = new Set(volumes.map((v) => v.name));
    do name = API_ACCESS_VOLUME_PREFIX + randomString(5); while (taken.has(name));
    volumes.push(apiAccessVolume(name));
  }
  for (const c of containers) (c.volumeMounts ??= []).push({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
}
