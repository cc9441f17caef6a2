/**
 * apps/v1 Deployment and ReplicaSet: info, defaults (apps/v1/defaults.go) and
 * validation (apps/validation/validation.go).
 */
import { deploymentPrinter, replicaSetPrinter } from '../../printers/printers.js';
import type { ResourceDefinition, ResourceInfo } from '../../resource-definition.js';
import { type FieldError, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { selectorFromLabelSelector } from '../../../machinery/labels.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { defaultPodSpec, validatePodSpec } from '../../core/v1/pod.js';
import type { PodTemplateSpec } from '../../core/v1/pod-types.js';
import type { LabelSelector } from '../../meta/v1/types.js';
import { DeploymentSchema, ReplicaSetSchema, type Deployment, type ReplicaSet } from './types.js';

const apps = (i: Pick<ResourceInfo, 'kind' | 'plural' | 'singular' | 'shortNames'>): ResourceInfo => ({
  group: 'apps', version: 'v1', namespaced: true, listKind: `${i.kind}List`, categories: ['all'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status', 'scale'], ...i,
});

function validateTemplated(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, replicas: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) errs.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
  if (!selector) errs.push(required('spec.selector'));
  else if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    errs.push(invalidValue('spec.selector', selector, 'empty selector is invalid for deployment'));
  }
  if (!template) { errs.push(required('spec.template')); return errs; }
  if (selector) {
    try {
      if (!selectorFromLabelSelector(selector).matches(template.metadata?.labels)) {
        errs.push(invalidValue('spec.template.metadata.labels', template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
      }
    } catch (e) { errs.push(invalidValue('spec.selector', selector, (e as Error).message)); }
  }
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const rp = template.spec?.restartPolicy;
  if (rp && rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  return errs;
}

function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  t.spec ??= {};
  defaultPodSpec(t.spec);
}

const selectorImmutable = (a: LabelSelector | undefined, b: LabelSelector | undefined): FieldError[] =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [invalidValue('spec.selector', a ?? {}, 'field is immutable')];

export const deploymentDefinition: ResourceDefinition<Deployment> = {
  info: apps({ kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'] }),
  schema: DeploymentSchema,
  protobufMessage: 'k8s.io.api.apps.v1.Deployment',
  printer: deploymentPrinter,
  strategy: { tracksGeneration: true },
  applyDefaults(d) {
    d.spec ??= {};
    const s = d.spec;
    s.replicas ??= 1;
    s.strategy ??= {};
    s.strategy.type ??= 'RollingUpdate';
    if (s.strategy.type === 'RollingUpdate') {
      s.strategy.rollingUpdate ??= {};
      s.strategy.rollingUpdate.maxUnavailable ??= '25%';
      s.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
    defaultTemplate(s.template);
  },
  validate(d) {
    const errs = [...validateObjectMeta(d.metadata, true), ...validateTemplated(d.spec?.selector, d.spec?.template, d.spec?.replicas)];
    const st = d.spec?.strategy;
    if (st?.type && !['Recreate', 'RollingUpdate'].includes(st.type)) errs.push(notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
    if (st?.type === 'Recreate' && st.rollingUpdate) errs.push({ type: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', detail: 'may not be specified when strategy `type` is \'Recreate\'' });
    const ru = st?.rollingUpdate;
    if (ru && isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) errs.push(invalidValue('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    return errs;
  },
  validateUpdate(d, old) {
    return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...deploymentDefinition.validate(d), ...selectorImmutable(d.spec?.selector, old.spec?.selector)];
  },
};

const isZero = (v: unknown): boolean => v === 0 || v === '0' || v === '0%';

export const replicaSetDefinition: ResourceDefinition<ReplicaSet> = {
  info: apps({ kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'] }),
  schema: ReplicaSetSchema,
  protobufMessage: 'k8s.io.api.apps.v1.ReplicaSet',
  printer: replicaSetPrinter,
  strategy: { tracksGeneration: true },
  applyDefaults(rs) {
    rs.spec ??= {};
    rs.spec.replicas ??= 1;
    defaultTemplate(rs.spec.template);
  },
  validate: (rs) => [...validateObjectMeta(rs.metadata, true), ...validateTemplated(rs.spec?.selector, rs.spec?.template, rs.spec?.replicas)],
  validateUpdate: (rs, old) => [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...replicaSetDefinition.validate(rs), ...selectorImmutable(rs.spec?.selector, old.spec?.selector)],
  fieldLabels: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
};
