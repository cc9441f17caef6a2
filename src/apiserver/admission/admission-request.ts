/**
 * The admission.k8s.io/v1 AdmissionRequest of one admission call (upstream
 * k8s.io/api/admission/v1 AdmissionRequest, built as admission/plugin/webhook/request
 * CreateV1AdmissionReview builds it): what webhooks receive and what CEL sees as
 * `request`. k8ts converts no versions for admission, so `requestKind`/`requestResource`
 * equal `kind`/`resource`.
 */
import type { KubeObject } from '../../api/object.js';
import type { AdmissionAttributes } from './interface.js';

/** The AdmissionRequest JSON: uid, kind, resource, subResource, request*, name, namespace, operation, userInfo, object, oldObject, dryRun, options. */
export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  requestKind: { group: string; version: string; kind: string };
  requestResource: { group: string; version: string; resource: string };
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: string;
  userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun: boolean;
  options?: { apiVersion: string; kind: string; dryRun?: string[] };
}

const OPTIONS_KIND = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions', CONNECT: undefined } as const;

/** An object with its apiVersion and kind set (objects in admission may lack them). */
export function withTypeMeta(attrs: AdmissionAttributes, obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj) return undefined;
  const { group, version, kind } = attrs.resource;
  return { ...obj, apiVersion: obj.apiVersion ?? (group ? `${group}/${version}` : version), kind: obj.kind ?? kind };
}

/** Builds the AdmissionRequest of `attrs` with `uid`. */
export function admissionRequest(attrs: AdmissionAttributes, uid: string): AdmissionRequest {
  const { group, version, kind, plural } = attrs.resource;
  const gvk = { group, version, kind };
  const gvr = { group, version, resource: plural };
  const optionsKind = OPTIONS_KIND[attrs.operation];
  const u = attrs.user;
  return {
    uid, kind: gvk, resource: gvr, ...(attrs.subresource ? { subResource: attrs.subresource, requestSubResource: attrs.subresource } : {}),
    requestKind: gvk, requestResource: gvr,
    ...(attrs.name ? { name: attrs.name } : {}), ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
    operation: attrs.operation,
    userInfo: { username: u.username, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups?.length ? { groups: u.groups } : {}), ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) },
    object: withTypeMeta(attrs, attrs.object) ?? null,
    oldObject: withTypeMeta(attrs, attrs.oldObject) ?? null,
    dryRun: attrs.dryRun,
    ...(optionsKind ? { options: { apiVersion: 'meta.k8s.io/v1', kind: optionsKind, ...(attrs.dryRun ? { dryRun: ['All'] } : {}) } } : {}),
  };
}
