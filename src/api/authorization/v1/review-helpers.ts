/**
 * What the review kinds of authentication.k8s.io and authorization.k8s.io share: their
 * definitions (create-only, never stored: `serving: 'virtual'`, served by
 * apiserver/registry/reviews.ts) and upstream's validation of the access reviews
 * (pkg/apis/authorization/validation), with bad values printed as Go's %#v prints the
 * internal types.
 */
import type { KubeObject } from '../../object.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { defaultProtobufMessage } from '../../define-resource.js';
import { structuralSchema } from '../../structural/structural-schema.js';
import { forbiddenField, GoLiteral, invalidValue, required, type FieldError } from '../../../machinery/field-errors.js';
import { isQualifiedName } from '../../../machinery/validation.js';

/** A review object as the code here reads it (the full shape is the wire contract's). */
export type Review = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

/** The definition of a review kind: verbs ["create"] only, no list kind in discovery, not stored. */
export function reviewDefinition(group: string, kind: string, plural: string, namespaced: boolean, validate: (r: Review) => FieldError[] = () => []): ResourceDefinition<Review> {
  const protobufMessage = defaultProtobufMessage(group, 'v1', kind);
  return {
    info: { group, version: 'v1', kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced, verbs: ['create'] },
    schema: structuralSchema(protobufMessage),
    protobufMessage,
    serving: 'virtual',
    applyDefaults() {},
    validate,
  };
}

const q = (s: unknown): string => JSON.stringify(typeof s === 'string' ? s : '');
/** Go's time.Time GoString of an RFC 3339 string (decoded times are in time.Local); the zero time when absent. */
function goTime(v: unknown): string {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) return 'time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)';
  const month = d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return `time.Date(${d.getUTCFullYear()}, time.${month}, ${d.getUTCDate()}, ${d.getUTCHours()}, ${d.getUTCMinutes()}, ${d.getUTCSeconds()}, 0, time.Local)`;
}
const goStringMap = (m: unknown): string => {
  if (!m || typeof m !== 'object' || !Object.keys(m).length) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${q(k)}:${q((m as Record<string, unknown>)[k])}`).join(', ')}}`;
};
const goStrings = (a: unknown): string => (Array.isArray(a) && a.length ? `[]string{${a.map(q).join(', ')}}` : '[]string(nil)');

/** metav1.ObjectMeta as `%#v` prints it (the bad value of "metadata: must be empty"). */
export function goObjectMeta(meta: object = {}): GoLiteral {
  const m = meta as Record<string, any>;
  const refs = Array.isArray(m.ownerReferences) && m.ownerReferences.length
    ? `[]v1.OwnerReference{${m.ownerReferences.map((r: Record<string, any>) => `v1.OwnerReference{APIVersion:${q(r.apiVersion)}, Kind:${q(r.kind)}, Name:${q(r.name)}, UID:${q(r.uid)}, Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}`).join(', ')}}`
    : '[]v1.OwnerReference(nil)';
  return new GoLiteral(`v1.ObjectMeta{Name:${q(m.name)}, GenerateName:${q(m.generateName)}, Namespace:${q(m.namespace)}, SelfLink:${q(m.selfLink)}, UID:${q(m.uid)}, ResourceVersion:${q(m.resourceVersion)}, Generation:${Number(m.generation ?? 0)}, `
    + `CreationTimestamp:${goTime(m.creationTimestamp)}, DeletionTimestamp:${m.deletionTimestamp ? goTime(m.deletionTimestamp) : '<nil>'}, DeletionGracePeriodSeconds:(*int64)(${m.deletionGracePeriodSeconds === undefined || m.deletionGracePeriodSeconds === null ? 'nil' : '0xc000000000'}), `
    + `Labels:${goStringMap(m.labels)}, Annotations:${goStringMap(m.annotations)}, OwnerReferences:${refs}, Finalizers:${goStrings(m.finalizers)}, ManagedFields:[]v1.ManagedFieldsEntry(nil)}`);
}

/** authorization.NonResourceAttributes as `%#v` prints it. */
export const goNonResourceAttributes = (a: Record<string, any>): GoLiteral =>
  new GoLiteral(`authorization.NonResourceAttributes{Path:${q(a.path)}, Verb:${q(a.verb)}}`);

const isZero = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Whether metadata is the zero ObjectMeta once `except` (and managedFields) are ignored. */
export const metadataIsEmpty = (m: object | undefined, except: string[] = []): boolean =>
  Object.entries(m ?? {}).every(([k, v]) => k === 'managedFields' || except.includes(k) || isZero(v));

/** A nil pointer as field.Error prints it: the string "null". */
const NULL = 'null';

/**
 * One selector requirement (metav1 validation ValidateFieldSelectorRequirement /
 * ValidateLabelSelectorRequirement with AllowUnknownOperatorInRequirement and, for
 * labels, AllowInvalidLabelValueInSelector, as the access reviews use them).
 */
function validateRequirement(r: Record<string, any>, path: string, label: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const values: unknown[] = Array.isArray(r.values) ? r.values : [];
  if (!label && !r.key) errs.push(required(`${path}.key`, 'must be specified'));
  if (r.operator === 'In' || r.operator === 'NotIn') {
    if (!values.length) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
    if (values.length) errs.push(forbiddenField(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  }
  if (label) for (const msg of isQualifiedName(r.key ?? '')) errs.push(invalidValue(`${path}.key`, r.key ?? '', msg));
  return errs;
}

/** The `spec.resourceAttributes.{field,label}Selector` checks (authorization validation, AuthorizeWithSelectors). */
function validateSelector(sel: Record<string, any> | undefined, path: string, label: boolean): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  const raw = sel.rawSelector ?? '';
  const reqs: Array<Record<string, any>> = Array.isArray(sel.requirements) ? sel.requirements : [];
  if (raw && reqs.length) errs.push(invalidValue(`${path}.rawSelector`, raw, 'may not specified at the same time as requirements'));
  if (!raw && !reqs.length) errs.push(required(`${path}.requirements`, `when ${path} is specified, requirements or rawSelector is required`));
  reqs.forEach((r, i) => errs.push(...validateRequirement(r ?? {}, `${path}.requirements[${i}]`, label)));
  return errs;
}

/** ValidateSubjectAccessReviewSpec (SAR, LocalSAR) or ValidateSelfSubjectAccessReviewSpec (`self`: no user or groups). */
export function validateAccessReviewSpec(spec: Record<string, any> = {}, self = false): FieldError[] {
  const errs: FieldError[] = [];
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra && nra) errs.push(invalidValue('spec.nonResourceAttributes', goNonResourceAttributes(nra), 'cannot be specified in combination with resourceAttributes'));
  if (!ra && !nra) errs.push(invalidValue('spec.resourceAttributes', NULL, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (!self && !spec.user && !(Array.isArray(spec.groups) && spec.groups.length)) errs.push(invalidValue('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  if (ra) errs.push(...validateSelector(ra.fieldSelector, 'spec.resourceAttributes.fieldSelector', false), ...validateSelector(ra.labelSelector, 'spec.resourceAttributes.labelSelector', true));
  return errs;
}

/** ValidateSubjectAccessReview / ValidateSelfSubjectAccessReview: the spec, and metadata must be empty. */
export function validateClusterAccessReview(r: Review, self: boolean): FieldError[] {
  const errs = validateAccessReviewSpec(r.spec, self);
  if (!metadataIsEmpty(r.metadata)) errs.push(invalidValue('metadata', goObjectMeta(r.metadata), 'must be empty'));
  return errs;
}

/** ValidateLocalSubjectAccessReview: metadata empty but for the namespace, which resourceAttributes.namespace must match; no nonResourceAttributes. */
export function validateLocalAccessReview(r: Review): FieldError[] {
  const errs = validateAccessReviewSpec(r.spec, false);
  if (!metadataIsEmpty(r.metadata, ['namespace'])) errs.push(invalidValue('metadata', goObjectMeta(r.metadata), 'must be empty except for namespace'));
  const ra = r.spec?.resourceAttributes;
  const ns = r.metadata?.namespace ?? '';
  if (ra && (ra.namespace ?? '') !== ns) errs.push(invalidValue('spec.resourceAttributes.namespace', ra.namespace ?? '', 'must match metadata.namespace'));
  if (r.spec?.nonResourceAttributes) errs.push(invalidValue('spec.nonResourceAttributes', goNonResourceAttributes(r.spec.nonResourceAttributes), 'disallowed on this kind of request'));
  return errs;
}
