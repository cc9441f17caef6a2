/**
 * Sidecar containers (KEP-753, on by default since v1.29): an init container with
 * `restartPolicy: Always` starts in its turn among the init containers, does not block
 * the next one once started, keeps running beside the app containers and restarts
 * whenever it exits, whatever the pod's restartPolicy.
 */
import type { Container } from './pod-types.js';

/** True for an init container with `restartPolicy: Always` (upstream IsRestartableInitContainer). */
export function isSidecar(c: Pick<Container, 'restartPolicy'> | undefined): boolean {
  return c?.restartPolicy === 'Always';
}
