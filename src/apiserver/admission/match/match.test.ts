import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from '../../../api/resource-definition.js';
import type { AdmissionAttributes } from '../interface.js';
import { matchesRule } from './rules.js';
import { matchesNamespaceSelector } from './namespace-selector.js';
import { matchesObjectSelector } from './object-selector.js';
import { matchesResources } from './match-resources.js';
import { evaluateMatchConditions } from './match-conditions.js';
import { admissionBindings } from '../../cel/admission-bindings.js';

const info = (group: string, plural: string, kind: string, namespaced = true): ResourceInfo => ({ group, version: 'v1', kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced, verbs: [] });
const pods = info('', 'pods', 'Pod');
const namespaces = info('', 'namespaces', 'Namespace', false);
const attrs = (over: Partial<AdmissionAttributes> = {}): AdmissionAttributes => ({
  operation: 'CREATE', resource: pods, subresource: '', namespace: 'ns', name: 'p',
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } } }, user: { username: 'u', groups: [] }, dryRun: false, ...over,
});
const rule = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };

describe('admission matching', () => {
  it('rules: operations, groups, versions, resources with subresources, scope', () => {
    assert.equal(matchesRule(rule, attrs()), true);
    assert.equal(matchesRule(rule, attrs({ operation: 'UPDATE' })), false);
    assert.equal(matchesRule({ ...rule, operations: ['*'] }, attrs({ operation: 'DELETE' })), true);
    assert.equal(matchesRule({ ...rule, apiGroups: ['apps'] }, attrs()), false);
    assert.equal(matchesRule(rule, attrs({ subresource: 'status' })), false);
    assert.equal(matchesRule({ ...rule, resources: ['pods/status'] }, attrs({ subresource: 'status' })), true);
    assert.equal(matchesRule({ ...rule, resources: ['*'] }, attrs({ subresource: 'status' })), false);
    assert.equal(matchesRule({ ...rule, resources: ['*/*'] }, attrs({ subresource: 'status' })), true);
    assert.equal(matchesRule({ ...rule, resources: ['*/status'] }, attrs({ subresource: 'status' })), true);
    assert.equal(matchesRule({ ...rule, scope: 'Cluster' }, attrs()), false);
    assert.equal(matchesRule({ ...rule, scope: 'Namespaced' }, attrs()), true);
    const nsRule = { ...rule, resources: ['namespaces'] };
    assert.equal(matchesRule({ ...nsRule, scope: 'Cluster' }, attrs({ resource: namespaces, namespace: '' })), true);
    assert.equal(matchesRule({ ...nsRule, scope: 'Namespaced' }, attrs({ resource: namespaces, namespace: '' })), false);
    assert.equal(matchesRule({ ...rule, resourceNames: ['q'] }, attrs()), false);
  });

  it('namespaceSelector reads the namespace, or a Namespace object itself', async () => {
    const get = async (name: string) => (name === 'ns' ? { metadata: { name, labels: { env: 'prod' } } } : undefined);
    assert.equal(await matchesNamespaceSelector({ matchLabels: { env: 'prod' } }, attrs(), get), true);
    assert.equal(await matchesNamespaceSelector({ matchLabels: { env: 'dev' } }, attrs(), get), false);
    assert.equal(await matchesNamespaceSelector(undefined, attrs(), get), true);
    const nsAttrs = attrs({ resource: namespaces, namespace: '', object: { metadata: { name: 'x', labels: { env: 'dev' } } } });
    assert.equal(await matchesNamespaceSelector({ matchLabels: { env: 'dev' } }, nsAttrs, get), true);
  });

  it('objectSelector matches the object or the old object', () => {
    assert.equal(matchesObjectSelector({ matchLabels: { app: 'web' } }, attrs()), true);
    assert.equal(matchesObjectSelector({ matchLabels: { app: 'db' } }, attrs()), false);
    assert.equal(matchesObjectSelector({ matchLabels: { app: 'db' } }, attrs({ operation: 'UPDATE', oldObject: { metadata: { labels: { app: 'db' } } } })), true);
  });

  it('matchResources: exclude rules win, empty resourceRules match everything', async () => {
    const get = async () => undefined;
    assert.equal(await matchesResources({ excludeResourceRules: [rule] }, attrs(), get), false);
    assert.equal(await matchesResources({}, attrs(), get), true);
    assert.equal(await matchesResources({ resourceRules: [{ ...rule, resources: ['services'] }] }, attrs(), get), false);
  });

  it('matchConditions: all true matches, a false one does not, errors are reported', () => {
    const b = admissionBindings(attrs());
    assert.deepEqual(evaluateMatchConditions([{ name: 'a', expression: 'object.metadata.name == "p"' }, { name: 'b', expression: 'request.operation == "CREATE"' }], b), { matches: true });
    assert.deepEqual(evaluateMatchConditions([{ name: 'a', expression: 'object.metadata.name == "q"' }], b), { matches: false });
    assert.match(evaluateMatchConditions([{ name: 'a', expression: 'object.spec.x' }], b).error!, /matchCondition 'a' evaluation error: no such key: spec/);
    assert.match(evaluateMatchConditions([{ name: 'a', expression: '"s"' }], b).error!, /must evaluate to a bool/);
    assert.deepEqual(evaluateMatchConditions([{ name: 'a', expression: 'object.spec.x' }, { name: 'b', expression: 'false' }], b), { matches: false });
  });
});
