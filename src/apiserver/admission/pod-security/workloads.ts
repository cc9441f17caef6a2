/**
 * The pod template inside a workload (upstream pod-security-admission
 * admission/admission.go DefaultPodSpecExtractor): which resources carry one and where.
 * Pods are evaluated for enforce, audit and warn; templates only for audit and warn.
 */
import type { KubeObject } from '../../../api/object.js';
import type { PodMetaLike, PodSpecLike } from './types.js';

/** `group/plural` of the workload resources whose templates are evaluated. */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  '/podtemplates': ['template'],
  '/replicationcontrollers': ['spec', 'template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Whether the resource (group, plural) is a workload with a pod template. */
export const isPodController = (group: string, plural: string): boolean => `${group}/${plural}` in TEMPLATE_PATHS;

/**
 * The template's metadata and spec of a workload object; undefined when the resource
 * is not a workload or the object has no template (upstream skips those).
 */
export function extractTemplate(group: string, plural: string, obj: KubeObject): { meta: PodMetaLike; spec: PodSpecLike } | undefined {
  const path = TEMPLATE_PATHS[`${group}/${plural}`];
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const key of path) cur = (cur as Record<string, unknown> | undefined)?.[key];
  const t = cur as { metadata?: PodMetaLike; spec?: PodSpecLike } | undefined;
  if (!t || (!t.metadata && !t.spec)) return undefined;
  return { meta: t.metadata ?? {}, spec: t.spec ?? {} };
}
