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

/** `lookupNamespace(name)` gives the stored Namespace or undefined. */
export function defaultAdmissionChain(lookupNamespace: (name: string) => Promise<KubeObject | undefined>): AdmissionChain {
  return new AdmissionChain([namespaceLifecycle(lookupNamespace), serviceAccountAdmission(), defaultTolerationSeconds(), priorityAdmission()]);
}
