/**
 * Downward-API `resourceFieldRef` values (upstream pkg/api/v1/resource
 * ExtractContainerResourceValue and MergeContainerResourceLimits, as the kubelet's
 * defaultPodLimitsForDownwardAPI uses them): a container's requests or limits of cpu,
 * memory, ephemeral-storage or hugepages-<size>, divided by `divisor` (default 1) and
 * rounded up to an integer, as a decimal string.
 * - cpu: ceil(milli value / divisor milli value) — 250m with divisor 1 → "1", with 1m → "250";
 * - memory, ephemeral-storage, hugepages: ceil(bytes / divisor bytes);
 * - a missing limit of cpu, memory or ephemeral-storage is the node's allocatable;
 * - a missing request is the container's own limit (API defaulting), else 0.
 * Throws ConfigError for an unknown resource or container name.
 */
import type { Container, Pod } from '../api/core/v1/pod-types.js';
import { milliValue, parseQuantity } from '../machinery/quantity.js';
import { ConfigError } from './env.js';

/** Node allocatable quantities by resource name (`cpu`, `memory`, `ephemeral-storage`). */
export type Allocatable = Record<string, string>;

export interface ResourceFieldSelector { containerName?: string; resource?: string; divisor?: string | number }

const value = (q: string | number): number => Math.ceil(parseQuantity(q) - 1e-9);

/** The value of `sel` for container `c` (or the pod's container `sel.containerName`, when set). */
export function resourceFieldValue(pod: Pod, c: Container | undefined, sel: ResourceFieldSelector, allocatable: Allocatable): string {
  let container = c;
  if (sel.containerName) {
    container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === sel.containerName);
    if (!container) throw new ConfigError(`container ${sel.containerName} not found`);
  }
  if (!container) throw new ConfigError('resourceFieldRef needs a containerName');
  const resource = sel.resource ?? '';
  const m = /^(limits|requests)\.(.+)$/.exec(resource);
  const name = m?.[2] ?? '';
  if (!m || !(name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-'))) {
    throw new ConfigError(`unsupported container resource : ${resource}`);
  }
  const userLimits = container.resources?.limits ?? {};
  let q: string | number | undefined;
  if (m[1] === 'limits') q = userLimits[name] ?? (name.startsWith('hugepages-') ? undefined : allocatable[name]);
  else q = container.resources?.requests?.[name] ?? userLimits[name];
  const divisor = sel.divisor === undefined || sel.divisor === '' || parseQuantity(sel.divisor) === 0 ? '1' : sel.divisor;
  if (q === undefined) return '0';
  if (name === 'cpu') return String(Math.ceil(milliValue(q) / milliValue(divisor)));
  return String(Math.ceil(value(q) / value(divisor)));
}
