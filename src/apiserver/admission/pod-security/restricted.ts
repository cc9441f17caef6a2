/**
 * The Pod Security Standards' restricted checks (upstream pod-security-admission
 * policy/check_*.go, latest version of each), worded as upstream. Pods with
 * spec.os.name=windows skip the Linux-only ones (privilege escalation, capabilities,
 * seccomp), as upstream since v1.25. None throws.
 */
import type { PodCheck } from './baseline.js';
import { setters } from './baseline.js';
import { ALLOWED, containersText, joinQuote, pluralize, refuse, sortedSet } from './result.js';
import { allContainers, type PodSpecLike } from './types.js';

const isWindows = (spec: PodSpecLike): boolean => spec.os?.name === 'windows';

/** allowPrivilegeEscalation != false: every container must set allowPrivilegeEscalation=false. */
export const allowPrivilegeEscalation: PodCheck = (_m, spec) => {
  if (isWindows(spec)) return ALLOWED;
  const bad = allContainers(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
  return bad.length ? refuse('allowPrivilegeEscalation != false', `${containersText(bad)} must set securityContext.allowPrivilegeEscalation=false`) : ALLOWED;
};

/** unrestricted capabilities: every container drops ALL and adds at most NET_BIND_SERVICE. */
export const capabilitiesRestricted: PodCheck = (_m, spec) => {
  if (isWindows(spec)) return ALLOWED;
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const caps: string[] = [];
  for (const c of allContainers(spec)) {
    const cap = c.securityContext?.capabilities;
    if (!cap?.drop?.includes('ALL')) missingDrop.push(c.name);
    const extra = (cap?.add ?? []).filter((x) => x !== 'NET_BIND_SERVICE');
    if (extra.length) { adding.push(c.name); caps.push(...extra); }
  }
  const details = [
    ...(missingDrop.length ? [`${containersText(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length ? [`${containersText(adding)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`] : []),
  ];
  return details.length ? refuse('unrestricted capabilities', details.join('; ')) : ALLOWED;
};

/** The volume sources a restricted pod may use. */
export const ALLOWED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const KNOWN_VOLUME_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

/** restricted volume types: only configMap, csi, downwardAPI, emptyDir, ephemeral, PVC, projected, secret. */
export const restrictedVolumes: PodCheck = (_m, spec) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of spec.volumes ?? []) {
    if ([...ALLOWED_VOLUME_SOURCES].some((k) => v[k] != null)) continue;
    bad.push(v.name);
    types.push(KNOWN_VOLUME_SOURCES.find((k) => v[k] != null) ?? 'unknown');
  }
  if (!bad.length) return ALLOWED;
  const distinct = sortedSet(types);
  return refuse('restricted volume types', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', distinct.length)} ${joinQuote(distinct)}`);
};

/** runAsNonRoot != true: the pod or every container sets runAsNonRoot=true, and nobody sets it false. */
export const runAsNonRoot: PodCheck = (_m, spec) => {
  const podValue = spec.securityContext?.runAsNonRoot;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const v = c.securityContext?.runAsNonRoot;
    if (v === false) explicit.push(c.name);
    else if (v === undefined && podValue !== true) implicit.push(c.name);
  }
  if (podValue === false || explicit.length) return refuse('runAsNonRoot != true', `${setters(podValue === false, explicit)} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length) return refuse('runAsNonRoot != true', `pod or ${containersText(implicit)} must set securityContext.runAsNonRoot=true`);
  return ALLOWED;
};

/** runAsUser=0: neither the pod nor a container may set runAsUser=0. */
export const runAsUser: PodCheck = (_m, spec) => {
  const pod = spec.securityContext?.runAsUser === 0;
  const bad = allContainers(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
  return pod || bad.length ? refuse('runAsUser=0', `${setters(pod, bad)} must not set runAsUser=0`) : ALLOWED;
};

const validSeccomp = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';

/** seccompProfile (restricted): RuntimeDefault or Localhost, on the pod or on every container. */
export const seccompRestricted: PodCheck = (_m, spec) => {
  if (isWindows(spec)) return ALLOWED;
  const values: string[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  let podBad = false;
  let podSet = false;
  if (podProfile) {
    if (validSeccomp(podProfile.type)) podSet = true;
    else { podBad = true; values.push(podProfile.type ?? ''); }
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const p = c.securityContext?.seccompProfile;
    if (p) {
      if (!validSeccomp(p.type)) { explicit.push(c.name); values.push(p.type ?? ''); }
    } else if (!podSet) implicit.push(c.name);
  }
  if (podBad || explicit.length) return refuse('seccompProfile', `${setters(podBad, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}`);
  if (implicit.length) return refuse('seccompProfile', `pod or ${containersText(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  return ALLOWED;
};
