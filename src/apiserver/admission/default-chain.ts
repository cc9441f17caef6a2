/**
 * The apiserver's admission chain in upstream's order (the subset k8ts has):
 * NamespaceLifecycle, ServiceAccount, DefaultTolerationSeconds, Priority.
 */
import type { KubeObject } from '../../api/object.js';
import { AdmissionChain } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { priorityAdmission } from './priority.js';
import { serviceAccountAdmission } from './service-account.js';

/** What the plugins read: stored objects by resource (plural) and name, undefined when absent. */
export interface AdmissionLookups {
  namespace(name: string): Promise<KubeObject | undefined>;
  priorityClass(name: string): Promise<KubeObject | undefined>;
}

export function defaultAdmissionChain(lookups: AdmissionLookups): AdmissionChain {
  return new AdmissionChain([namespaceLifecycle(lookups.namespace), serviceAccountAdmission(), defaultTolerationSeconds(), priorityAdmission(lookups.priorityClass)]);
}
