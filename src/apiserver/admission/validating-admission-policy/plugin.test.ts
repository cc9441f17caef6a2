import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/object.js';
import type { ResourceInfo } from '../../../api/resource-definition.js';
import { StatusError } from '../../../machinery/errors.js';
import type { AdmissionObjects } from '../admission-objects.js';
import type { AdmissionAttributes } from '../interface.js';
import { validatingAdmissionPolicy } from './plugin.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './types.js';

const deployments: ResourceInfo = { group: 'apps', version: 'v1', kind: 'Deployment', listKind: 'DeploymentList', plural: 'deployments', singular: 'deployment', namespaced: true, verbs: [] };
const configMaps: ResourceInfo = { group: '', version: 'v1', kind: 'ConfigMap', listKind: 'ConfigMapList', plural: 'configmaps', singular: 'configmap', namespaced: true, verbs: [] };
const attrs = (replicas: number, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes => ({
  operation: 'CREATE', resource: deployments, subresource: '', namespace: 'ns', name: 'x',
  object: { metadata: { name: 'x', namespace: 'ns' }, spec: { replicas } } as never, user: { username: 'u', groups: [] }, dryRun: false, warnings: [], ...over,
});
const rules = [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }];
const policy = (spec: ValidatingAdmissionPolicy['spec'], name = 'P'): ValidatingAdmissionPolicy => ({ metadata: { name }, spec: { matchConstraints: { resourceRules: rules }, ...spec } });
const binding = (spec: ValidatingAdmissionPolicyBinding['spec'], name = 'B'): ValidatingAdmissionPolicyBinding => ({ metadata: { name }, spec: { policyName: 'P', validationActions: ['Deny'], ...spec } });

const stored: KubeObject[] = [{ metadata: { name: 'limits', namespace: 'ns', labels: { kind: 'limits' } }, data: { max: '3' } } as never];
const objects: AdmissionObjects = {
  list: async () => stored,
  get: async (_g, _v, _p, name, ns) => stored.find((o) => o.metadata.name === name && o.metadata.namespace === ns),
  resourceFor: (apiVersion, kind) => (apiVersion === 'v1' && kind === 'ConfigMap' ? configMaps : undefined),
};
const plugin = (p: ValidatingAdmissionPolicy, b: ValidatingAdmissionPolicyBinding) => validatingAdmissionPolicy({
  source: { policies: async () => [{ policy: p, bindings: [b] }] }, namespace: async () => ({ metadata: { name: 'ns', labels: { env: 'prod' } } }), objects,
});
async function refusal(p: Promise<unknown> | unknown): Promise<StatusError> {
  try { await p; } catch (err) { assert.ok(err instanceof StatusError, String(err)); return err; }
  assert.fail('expected a refusal');
}

describe('ValidatingAdmissionPolicy', () => {
  const replicas = policy({ validations: [{ expression: 'object.spec.replicas <= 5' }] });

  it('denies with upstream\'s message, reason Invalid and 422', async () => {
    const err = await refusal(plugin(replicas, binding({})).validate!(attrs(6)));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.status.message, 'deployments.apps "x" is forbidden: ValidatingAdmissionPolicy \'P\' with binding \'B\' denied request: failed expression: object.spec.replicas <= 5');
    await plugin(replicas, binding({})).validate!(attrs(5));
  });

  it('message, messageExpression and reason', async () => {
    const p = policy({ validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many', messageExpression: '"replicas " + string(object.spec.replicas) + " > 5"', reason: 'Forbidden' }] });
    const err = await refusal(plugin(p, binding({})).validate!(attrs(7)));
    assert.equal(err.code, 403);
    assert.match(err.status.message!, /denied request: replicas 7 > 5$/);
    const q = policy({ validations: [{ expression: 'false', message: 'never' }] });
    assert.match((await refusal(plugin(q, binding({})).validate!(attrs(1)))).status.message!, /denied request: never$/);
  });

  it('Warn adds a warning instead of refusing', async () => {
    const a = attrs(6);
    await plugin(replicas, binding({ validationActions: ['Warn'] })).validate!(a);
    assert.deepEqual(a.warnings, ["Validation failed for ValidatingAdmissionPolicy 'P' with binding 'B': failed expression: object.spec.replicas <= 5"]);
  });

  it('binding matchResources and policy matchConditions select requests', async () => {
    await plugin(replicas, binding({ matchResources: { namespaceSelector: { matchLabels: { env: 'dev' } } } })).validate!(attrs(6));
    const p = policy({ validations: replicas.spec!.validations, matchConditions: [{ name: 'not-x', expression: 'object.metadata.name != "x"' }] });
    await plugin(p, binding({})).validate!(attrs(6));
    await plugin(replicas, binding({})).validate!(attrs(6, { resource: configMaps }));
  });

  it('variables, params and namespaceObject', async () => {
    const p = policy({
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      variables: [{ name: 'max', expression: 'int(params.data.max)' }, { name: 'over', expression: 'object.spec.replicas > variables.max' }],
      validations: [{ expression: '!variables.over', messageExpression: '"at most " + string(variables.max) + " in " + namespaceObject.metadata.labels.env' }],
    });
    const err = await refusal(plugin(p, binding({ paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } })).validate!(attrs(4)));
    assert.match(err.status.message!, /denied request: at most 3 in prod$/);
    await plugin(p, binding({ paramRef: { selector: { matchLabels: { kind: 'limits' } } } })).validate!(attrs(3));
    // Missing params: Allow skips, Deny is a configuration error.
    await plugin(p, binding({ paramRef: { name: 'nope', parameterNotFoundAction: 'Allow' } })).validate!(attrs(9));
    const missing = await refusal(plugin(p, binding({ paramRef: { name: 'nope', parameterNotFoundAction: 'Deny' } })).validate!(attrs(9)));
    assert.match(missing.status.message!, /with binding 'B' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/);
  });

  it('evaluation errors follow failurePolicy', async () => {
    const bad = (failurePolicy: 'Fail' | 'Ignore') => policy({ failurePolicy, validations: [{ expression: 'object.spec.nope > 1' }] });
    await plugin(bad('Ignore'), binding({})).validate!(attrs(1));
    const err = await refusal(plugin(bad('Fail'), binding({})).validate!(attrs(1)));
    assert.match(err.status.message!, /denied request: expression 'object\.spec\.nope > 1' resulted in error: no such key: nope$/);
  });

  it('Audit notes the failure on the audit event', async () => {
    const notes: Record<string, string> = {};
    await plugin(replicas, binding({ validationActions: ['Audit'] })).validate!(attrs(6, { auditAnnotate: (k, v) => { notes[k] = v; } }));
    assert.deepEqual(JSON.parse(notes['validation.policy.admission.k8s.io/validation_failure']), [{ message: 'failed expression: object.spec.replicas <= 5', policy: 'P', binding: 'B', expressionIndex: 0, validationActions: ['Audit'] }]);
  });

  it('auditAnnotations are recorded as <policy>/<key>', async () => {
    const notes: Record<string, string> = {};
    const p = policy({ validations: replicas.spec!.validations, auditAnnotations: [{ key: 'replicas', valueExpression: '"asked for " + string(object.spec.replicas)' }, { key: 'none', valueExpression: 'null' }] });
    await plugin(p, binding({})).validate!(attrs(2, { auditAnnotate: (k, v) => { notes[k] = v; } }));
    assert.deepEqual(notes, { 'P/replicas': 'asked for 2' });
  });
});
