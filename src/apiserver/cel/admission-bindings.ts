/**
 * The variables admission CEL expressions see (upstream
 * k8s.io/apiserver/pkg/admission/plugin/cel, ValidatingAdmissionPolicy and webhook
 * matchConditions): `object`, `oldObject` (null when absent), `request` (the
 * AdmissionRequest without object/oldObject), `params` (null without a param),
 * `namespaceObject` (the request's Namespace, null for cluster-scoped requests) and
 * `variables` (a policy's composited variables, filled by the caller in order).
 * `authorizer` is not offered.
 */
import type { CelInput } from '@bufbuild/cel';
import type { KubeObject } from '../../api/object.js';
import { admissionRequest, withTypeMeta } from '../admission/admission-request.js';
import type { AdmissionAttributes } from '../admission/interface.js';
import { toCel } from './values.js';

/** Bindings for one evaluation; `variables` starts empty and is extended by the caller. */
export interface AdmissionBindings extends Record<string, CelInput> {
  object: CelInput; oldObject: CelInput; request: CelInput; params: CelInput; namespaceObject: CelInput;
}

/** Builds the bindings of `attrs`, with optional `params` and `namespaceObject`. */
export function admissionBindings(attrs: AdmissionAttributes, extra: { params?: unknown; namespaceObject?: KubeObject } = {}): AdmissionBindings {
  const { object: _o, oldObject: _old, ...request } = admissionRequest(attrs, '');
  return {
    object: toCel(withTypeMeta(attrs, attrs.object)),
    oldObject: toCel(withTypeMeta(attrs, attrs.oldObject)),
    request: toCel(request),
    params: toCel(extra.params),
    namespaceObject: toCel(extra.namespaceObject),
    variables: toCel({}),
  };
}
