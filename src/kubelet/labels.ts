/** Labels and annotations the kubelet puts on CRI sandboxes and containers (upstream pkg/kubelet/types/labels.go). */
export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_UID = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME = 'io.kubernetes.container.name';
export const RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const CONTAINER_KIND = 'io.kubernetes.container.kind';
