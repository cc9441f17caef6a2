/**
 * The parts of a pod (or a workload's pod template) that the Pod Security Standards
 * read, typed loosely: admission sees decoded JSON, so every field is optional and
 * unknown fields are kept. Shapes follow core/v1 PodSpec, Container and SecurityContext.
 */

/** core/v1 SELinuxOptions. */
export interface SELinuxOptions { user?: string; role?: string; type?: string; level?: string }
/** core/v1 SeccompProfile / AppArmorProfile: `type` is RuntimeDefault, Localhost or Unconfined. */
export interface ProfileRef { type?: string; localhostProfile?: string }

/** The container-level securityContext fields the checks read. */
export interface ContainerSecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: ProfileRef;
  appArmorProfile?: ProfileRef;
  windowsOptions?: { hostProcess?: boolean };
}

/** The pod-level securityContext fields the checks read. */
export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: ProfileRef;
  appArmorProfile?: ProfileRef;
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: Array<{ name: string; value?: string }>;
}

/** A container, init container or ephemeral container. */
export interface ContainerLike {
  name: string;
  ports?: Array<{ containerPort?: number; hostPort?: number }>;
  securityContext?: ContainerSecurityContext;
}

/** A volume: one source key (hostPath, emptyDir, nfs...) besides `name`. */
export type VolumeLike = { name: string } & Record<string, unknown>;

/** The PodSpec fields the checks read. */
export interface PodSpecLike {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  os?: { name?: string };
  securityContext?: PodSecurityContext;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  ephemeralContainers?: ContainerLike[];
  volumes?: VolumeLike[];
}

/** The pod (template) metadata the checks read: annotations (AppArmor's beta annotations). */
export interface PodMetaLike { name?: string; annotations?: Record<string, string> }

/**
 * Every container of a pod in upstream's visiting order (policy/visitor.go
 * visitContainers): init containers, containers, ephemeral containers.
 */
export function allContainers(spec: PodSpecLike): ContainerLike[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}
