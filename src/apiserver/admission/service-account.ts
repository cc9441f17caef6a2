/**
 * ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount), the part
 * k8ts has so far: a pod created without `serviceAccountName` gets `default`, and the
 * deprecated `serviceAccount` field mirrors it.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';
import { isPodCreate } from './pod-create.js';

export const serviceAccountAdmission = (): AdmissionPlugin => ({
  name: 'ServiceAccount',
  admit(a: AdmissionAttributes) {
    if (!isPodCreate(a)) return;
    const spec = ((a.object as Pod).spec ??= {});
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
  },
});
