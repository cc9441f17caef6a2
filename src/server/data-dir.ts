/**
 * Defaults and data-dir layout shared by the CLI commands (ARCHITECTURE.md §3).
 * `<data-dir>/server/{db,tls}` for the control plane, `<data-dir>/agent/...` for the node.
 */
import { join } from 'node:path';

/** Default `--data-dir` (as root, like k3s's /var/lib/rancher/k3s). */
export const DEFAULT_DATA_DIR = '/var/lib/k8ts';

export const kubeconfigPath = (dataDir: string): string => join(dataDir, 'kubeconfig.yaml');
export const databasePath = (dataDir: string): string => join(dataDir, 'server', 'db', 'state.db');
export const tlsDir = (dataDir: string): string => join(dataDir, 'server', 'tls');
export const imagesDir = (dataDir: string): string => join(dataDir, 'agent', 'images');
export const kubeletDir = (dataDir: string): string => join(dataDir, 'agent', 'kubelet');
