/** Whether an admission request creates a pod (the main resource, not a subresource). */
import type { AdmissionAttributes } from './interface.js';

export const isPodCreate = (a: AdmissionAttributes): boolean =>
  a.operation === 'CREATE' && !a.subresource && a.resource.group === '' && a.resource.plural === 'pods' && !!a.object;
