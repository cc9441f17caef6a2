/**
 * The Pod Security Standards' baseline checks (upstream pod-security-admission
 * policy/check_*.go, latest version of each), one function per control. Each takes the
 * pod (template) metadata and spec and returns a CheckResult worded as upstream's
 * ForbiddenReason / ForbiddenDetail. None throws.
 */
import { ALLOWED, containersText, joinQuote, pluralize, refuse, sortedSet, type CheckResult } from './result.js';
import { allContainers, type ContainerLike, type PodMetaLike, type PodSpecLike, type SELinuxOptions } from './types.js';

/** A pod check: metadata and spec in, verdict out. */
export type PodCheck = (meta: PodMetaLike, spec: PodSpecLike) => CheckResult;

/** `pod`, `container "a"`, `pod and containers "a", "b"` — who set a forbidden value. */
export function setters(pod: boolean, containers: readonly string[]): string {
  const parts = [...(pod ? ['pod'] : []), ...(containers.length ? [containersText(containers)] : [])];
  return parts.join(' and ');
}

const namesWhere = (spec: PodSpecLike, bad: (c: ContainerLike) => boolean): string[] => allContainers(spec).filter(bad).map((c) => c.name);

/** hostProcess: neither the pod nor a container may set windowsOptions.hostProcess=true. */
export const hostProcess: PodCheck = (_m, spec) => {
  const pod = spec.securityContext?.windowsOptions?.hostProcess === true;
  const bad = namesWhere(spec, (c) => c.securityContext?.windowsOptions?.hostProcess === true);
  return pod || bad.length ? refuse('hostProcess', `${setters(pod, bad)} must not set securityContext.windowsOptions.hostProcess=true`) : ALLOWED;
};

/** host namespaces: hostNetwork, hostPID and hostIPC must not be true. */
export const hostNamespaces: PodCheck = (_m, spec) => {
  const set = [spec.hostNetwork && 'hostNetwork=true', spec.hostPID && 'hostPID=true', spec.hostIPC && 'hostIPC=true'].filter((s): s is string => !!s);
  return set.length ? refuse('host namespaces', set.join(', ')) : ALLOWED;
};

/** privileged: no container may set securityContext.privileged=true. */
export const privileged: PodCheck = (_m, spec) => {
  const bad = namesWhere(spec, (c) => c.securityContext?.privileged === true);
  return bad.length ? refuse('privileged', `${containersText(bad)} must not set securityContext.privileged=true`) : ALLOWED;
};

/** The capabilities a baseline container may add. */
export const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** non-default capabilities: containers may add only the baseline set. */
export const capabilitiesBaseline: PodCheck = (_m, spec) => {
  const caps: string[] = [];
  const bad = namesWhere(spec, (c) => {
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    caps.push(...extra);
    return extra.length > 0;
  });
  return bad.length ? refuse('non-default capabilities', `${containersText(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`) : ALLOWED;
};

/** hostPath volumes: no volume may be a hostPath. */
export const hostPathVolumes: PodCheck = (_m, spec) => {
  const bad = (spec.volumes ?? []).filter((v) => v.hostPath != null).map((v) => v.name);
  return bad.length ? refuse('hostPath volumes', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`) : ALLOWED;
};

/** hostPort: no container port may set hostPort. */
export const hostPorts: PodCheck = (_m, spec) => {
  const ports: string[] = [];
  const bad = namesWhere(spec, (c) => {
    const hp = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
    ports.push(...hp);
    return hp.length > 0;
  });
  if (!bad.length) return ALLOWED;
  const distinct = sortedSet(ports);
  return refuse('hostPort', `${containersText(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', distinct.length)} ${distinct.join(', ')}`);
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorAnnotation = (v: string): boolean => v === '' || v === 'runtime/default' || v.startsWith('localhost/');

/** AppArmor: no Unconfined profile, neither in the beta annotations nor in securityContext.appArmorProfile. */
export const appArmor: PodCheck = (meta, spec) => {
  const bad: string[] = [];
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(v)) bad.push(`${k}=${JSON.stringify(v)}`);
  }
  bad.sort();
  const pod = spec.securityContext?.appArmorProfile?.type === 'Unconfined';
  const names = namesWhere(spec, (c) => c.securityContext?.appArmorProfile?.type === 'Unconfined');
  if (pod || names.length) bad.push(`${setters(pod, names)} must not set securityContext.appArmorProfile.type to "Unconfined"`);
  return bad.length ? refuse(pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', bad.length), bad.join(', ')) : ALLOWED;
};

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** seLinuxOptions: type only among the container types; user and role unset. */
export const seLinuxOptions: PodCheck = (_m, spec) => {
  const types: string[] = [];
  let user = false;
  let role = false;
  const bad = (o: SELinuxOptions | undefined): boolean => {
    if (!o) return false;
    let b = false;
    if (!SELINUX_TYPES.has(o.type ?? '')) { types.push(o.type ?? ''); b = true; }
    if (o.user) { user = true; b = true; }
    if (o.role) { role = true; b = true; }
    return b;
  };
  const pod = bad(spec.securityContext?.seLinuxOptions);
  const names = namesWhere(spec, (c) => bad(c.securityContext?.seLinuxOptions));
  if (!pod && !names.length) return ALLOWED;
  const distinct = sortedSet(types);
  const data = [
    ...(distinct.length ? [`${pluralize('type', 'types', distinct.length)} ${joinQuote(distinct)}`] : []),
    ...(user ? ['user may not be set'] : []),
    ...(role ? ['role may not be set'] : []),
  ];
  return refuse('seLinuxOptions', `${setters(pod, names)} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
};

/** procMount: containers may only use the Default /proc mount. */
export const procMount: PodCheck = (_m, spec) => {
  const values: string[] = [];
  const bad = namesWhere(spec, (c) => {
    const pm = c.securityContext?.procMount;
    if (pm === undefined || pm === 'Default') return false;
    values.push(pm);
    return true;
  });
  return bad.length ? refuse('procMount', `${containersText(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(values))}`) : ALLOWED;
};

/** seccompProfile (baseline): neither the pod nor a container may set type Unconfined. */
export const seccompBaseline: PodCheck = (_m, spec) => {
  const pod = spec.securityContext?.seccompProfile?.type === 'Unconfined';
  const names = namesWhere(spec, (c) => c.securityContext?.seccompProfile?.type === 'Unconfined');
  return pod || names.length ? refuse('seccompProfile', `${setters(pod, names)} must not set securityContext.seccompProfile.type to "Unconfined"`) : ALLOWED;
};

/** The sysctls a baseline pod may set (the safe set of the latest policy version). */
export const ALLOWED_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);

/** forbidden sysctls: only the safe set. */
export const sysctls: PodCheck = (_m, spec) => {
  const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !ALLOWED_SYSCTLS.has(n));
  return bad.length ? refuse('forbidden sysctls', bad.join(', ')) : ALLOWED;
};
