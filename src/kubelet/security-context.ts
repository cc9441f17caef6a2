/**
 * A container's effective security context as the kubelet hands it to CRI (upstream
 * pkg/kubelet/kuberuntime/security_context.go and security_context_others.go;
 * pkg/securitycontext): the container's fields over the pod's (`runAsUser`,
 * `runAsGroup`, `runAsNonRoot`), the pod's `supplementalGroups` and `fsGroup` as extra
 * groups, `allowPrivilegeEscalation: false` as no_new_privs, and the `runAsNonRoot`
 * check made before the container is created (kuberuntime_container_linux.go
 * verifyRunAsNonRoot). Errors are {@link ConfigError}s: the pod shows
 * `CreateContainerConfigError` with upstream's message.
 */
import type { Pod, Container } from '../api/core/v1/pod-types.js';
import type { ContainerConfig } from './cri/types.js';
import { ConfigError } from './env.js';

type CriSecurityContext = NonNullable<NonNullable<ContainerConfig['linux']>['securityContext']>;

interface PodSecurityContext { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean; supplementalGroups?: number[]; fsGroup?: number }
interface ContainerSecurityContext {
  runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean; privileged?: boolean; readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean; capabilities?: { add?: string[]; drop?: string[] };
}

/** Whether the image's user must be known: runAsNonRoot without a runAsUser. */
export function needsImageUser(pod: Pod, c: Container): boolean {
  const ps = (pod.spec?.securityContext ?? {}) as PodSecurityContext;
  const cs = (c.securityContext ?? {}) as ContainerSecurityContext;
  return !!(cs.runAsNonRoot ?? ps.runAsNonRoot) && (cs.runAsUser ?? ps.runAsUser) === undefined;
}

/** `pod_ns(uid)`, as upstream's messages name a pod (format.Pod). */
const podName = (pod: Pod): string => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/**
 * The CRI security context of `c` (without namespace options, which the caller adds).
 * `imageUid` is the uid the image runs as (CRI ImageStatus `uid`; 0 when it names root
 * or nothing). Throws ConfigError when runAsNonRoot cannot hold.
 */
export function containerSecurityContext(pod: Pod, c: Container, imageUid: number | undefined): CriSecurityContext {
  const ps = (pod.spec?.securityContext ?? {}) as PodSecurityContext;
  const cs = (c.securityContext ?? {}) as ContainerSecurityContext;
  const runAsUser = cs.runAsUser ?? ps.runAsUser;
  const runAsGroup = cs.runAsGroup ?? ps.runAsGroup;
  const runAsNonRoot = cs.runAsNonRoot ?? ps.runAsNonRoot;
  if (runAsNonRoot) {
    if (runAsUser === 0) throw new ConfigError(`container's runAsUser breaks non-root policy (pod: "${podName(pod)}", container: ${c.name})`);
    if (runAsUser === undefined && (imageUid ?? 0) === 0) throw new ConfigError(`container has runAsNonRoot and image will run as root (pod: "${podName(pod)}", container: ${c.name})`);
  }
  const groups = [...(ps.fsGroup !== undefined ? [ps.fsGroup] : []), ...(ps.supplementalGroups ?? [])];
  return {
    privileged: !!cs.privileged,
    ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
    readonlyRootfs: !!cs.readOnlyRootFilesystem,
    ...(cs.capabilities ? { capabilities: { addCapabilities: cs.capabilities.add ?? [], dropCapabilities: cs.capabilities.drop ?? [] } } : {}),
    // Upstream: no_new_privs unless escalation is allowed (it is by default, and always for privileged containers).
    noNewPrivs: cs.allowPrivilegeEscalation === false && !cs.privileged,
    ...(groups.length ? { supplementalGroups: [...new Set(groups)] } : {}),
  };
}
