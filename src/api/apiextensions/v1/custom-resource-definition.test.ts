import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors } from '../../../machinery/field-errors.js';
import { customResourceDefinitionDefinition as crds } from './custom-resource-definition.js';
import { apiServiceDefinition as apiServices } from '../../apiregistration/v1/api-service.js';
import { checkBody } from '../../structural/check-body.js';
import { pruneUnknownFields } from '../../structural/prune-unknown.js';

const CRD_MESSAGE = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition';

/** A valid CRD after create-time preparation and defaults (as the store runs them). */
function crd(mut: (c: any) => void = () => {}): any {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
  mut(c);
  crds.strategy!.prepareForCreate!(c, undefined as never);
  crds.applyDefaults(c);
  return c;
}
const errors = (c: any): string => formatFieldErrors(crds.validate(c));

describe('CustomResourceDefinition defaults', () => {
  it('fills singular, listKind, conversion, storedVersions and acceptedNames as upstream', () => {
    const c = crd();
    assert.equal(c.spec.names.singular, 'widget');
    assert.equal(c.spec.names.listKind, 'WidgetList');
    assert.deepEqual(c.spec.conversion, { strategy: 'None' });
    assert.deepEqual(c.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.deepEqual(crds.validate(c), []);
  });
  it('defaults the conversion webhook service port to 443 and keeps explicit values', () => {
    const c = crd((x) => {
      x.spec.names.singular = 'gadget';
      x.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { name: 'conv', namespace: 'system' } } } };
    });
    assert.equal(c.spec.names.singular, 'gadget');
    assert.equal(c.spec.conversion.webhook.clientConfig.service.port, 443);
    assert.deepEqual(crds.validate(c), []);
  });
  it('keeps status and adds a new storage version to storedVersions on update', () => {
    const old = crd();
    const next = structuredClone(old);
    next.status = { storedVersions: ['bogus'] };
    next.spec.versions = [{ ...old.spec.versions[0], storage: false }, { ...old.spec.versions[0], name: 'v2', storage: true }];
    crds.strategy!.prepareForUpdate!(next, old, undefined as never);
    assert.deepEqual(next.status.storedVersions, ['v1', 'v2']);
    assert.deepEqual(crds.validateUpdate!(next, old), []);
  });
});

describe('CustomResourceDefinition validation', () => {
  it('name must be <plural>.<group>; group needs a dot; scope is Cluster or Namespaced', () => {
    assert.equal(errors(crd((c) => { c.metadata.name = 'widget.example.com'; })),
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group');
    assert.equal(errors(crd((c) => { c.metadata.name = 'widgets.example'; c.spec.group = 'example'; })),
      'spec.group: Invalid value: "example": should be a domain with at least one dot');
    assert.equal(errors(crd((c) => { c.spec.scope = 'Global'; })), 'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    assert.equal(errors(crd((c) => { delete c.spec.scope; })), 'spec.scope: Required value');
  });
  it('versions: DNS-1035 names, unique, exactly one storage version; schemas required', () => {
    assert.match(errors(crd((c) => { c.spec.versions[0].name = 'V1'; })), /^spec\.versions\[0\]\.name: Invalid value: "V1": a DNS-1035 label must consist of lower case/);
    const none = errors(crd((c) => { c.spec.versions[0].storage = false; }));
    assert.match(none, /spec\.versions: Invalid value: \[\]apiextensions\.CustomResourceDefinitionVersion\{apiextensions\.CustomResourceDefinitionVersion\{Name:"v1", Served:true, Storage:false, .*\}: must have exactly one version marked as storage version/);
    assert.match(none, /status\.storedVersions: Invalid value: \[\]string\(nil\): must have at least one stored version/);
    assert.match(errors(crd((c) => { c.spec.versions.push({ ...c.spec.versions[0], storage: false }); })), /spec\.versions: Invalid value: .*: must contain unique version names/);
    assert.equal(errors(crd((c) => { delete c.spec.versions[0].schema; })), 'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required');
  });
  it('names: kind, listKind, plural, shortNames', () => {
    assert.equal(errors(crd((c) => { c.spec.names.singular = 'widget'; c.spec.names.kind = 'Wid_get'; c.spec.names.listKind = 'Wid_get'; })),
      '[spec.names.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\'), '
      + 'spec.names.listKind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\'), '
      + 'spec.names.listKind: Invalid value: "Wid_get": kind and listKind may not be the same]');
    assert.equal(errors(crd((c) => { delete c.spec.names.kind; })), '[spec.names.singular: Required value, spec.names.kind: Required value, spec.names.listKind: Required value]');
    assert.match(errors(crd((c) => { c.spec.names.shortNames = ['w', '1w']; })), /^spec\.names\.shortNames\[1\]: Invalid value: "1w": a DNS-1035 label/);
  });
  it('structural schema rules', () => {
    const schema = (s: any) => errors(crd((c) => { c.spec.versions[0].schema.openAPIV3Schema = s; }));
    const p = 'spec.versions[0].schema.openAPIV3Schema';
    assert.equal(schema({ properties: { a: { type: 'string' } } }), `${p}.type: Required value: must not be empty at the root`);
    assert.equal(schema({ type: 'string' }), `${p}.type: Invalid value: "string": must be object at the root`);
    assert.equal(schema({ type: 'object', properties: { a: {} } }), `${p}.properties[a].type: Required value: must not be empty for specified object fields`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'array' } } }), `${p}.properties[a].items: Required value: must be specified`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'array', items: {} } } }), `${p}.properties[a].items.type: Required value: must not be empty for specified array items`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: { type: 'string' } } } }),
      `${p}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'array', uniqueItems: true, items: { type: 'string' } } } }),
      `${p}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`);
    assert.equal(schema({ type: 'object', properties: { a: { $ref: '#/definitions/x', type: 'object' } } }), `${p}.properties[a].$ref: Forbidden: $ref is not supported`);
    assert.equal(schema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }), `${p}.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'strin' } } }),
      `${p}.properties[a].type: Unsupported value: "strin": supported values: "array", "boolean", "integer", "number", "object", "string"`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'object', anyOf: [{ type: 'string' }] } } }), `${p}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`);
    assert.equal(schema({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }),
      `${p}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`);
    assert.equal(schema({ type: 'object', properties: { a: { type: 'string', 'x-kubernetes-list-type': 'set' } } }), `${p}.properties[a].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`);
    assert.deepEqual(crds.validate(crd((c) => {
      c.spec.versions[0].schema.openAPIV3Schema = {
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          any: { 'x-kubernetes-preserve-unknown-fields': true },
          list: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      };
    })), []);
  });
  it('conversion: strategy and webhook rules', () => {
    assert.equal(errors(crd((c) => { c.spec.conversion = { strategy: 'Webhook' }; })),
      '[spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook, spec.conversion.conversionReviewVersions: Required value]');
    assert.equal(errors(crd((c) => { c.spec.conversion = { strategy: 'None', webhook: { conversionReviewVersions: ['v1'] } }; })),
      'spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook');
  });
  it('protected groups need the api-approved.kubernetes.io annotation', () => {
    assert.match(errors(crd((c) => { c.metadata.name = 'widgets.x.k8s.io'; c.spec.group = 'x.k8s.io'; })),
      /^metadata\.annotations\[api-approved\.kubernetes\.io\]: Invalid value: "": protected groups must have approval annotation "api-approved\.kubernetes\.io", see https:\/\/github\.com\/kubernetes\/enhancements\/pull\/1111$/);
    assert.deepEqual(crds.validate(crd((c) => {
      c.metadata.name = 'widgets.x.k8s.io'; c.spec.group = 'x.k8s.io'; c.metadata.annotations = { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' };
    })), []);
  });
  it('group and plural are immutable', () => {
    const old = crd();
    const next = crd((c) => { c.spec.names.plural = 'gadgets'; c.metadata.name = 'gadgets.example.com'; });
    next.metadata.name = old.metadata.name;
    assert.match(formatFieldErrors(crds.validateUpdate!(next, old)), /spec\.names\.plural: Invalid value: "gadgets": field is immutable/);
  });
});

describe('CustomResourceDefinition wire contract', () => {
  it('JSONSchemaProps takes x-kubernetes-*, $ref, JSON values, items/additionalProperties in both forms; unknown fields are reported outside the Or-wrappers only', () => {
    const body = crd((c) => {
      c.spec.versions[0].schema.openAPIV3Schema = {
        type: 'object', $schema: 'http://json-schema.org/draft-04/schema#', 'x-kubernetes-preserve-unknown-fields': true,
        properties: {
          a: { type: 'array', items: [{ type: 'string', bogusInItems: 1 }], default: ['x'], example: 3, enum: [['x'], null] },
          b: { type: 'object', additionalProperties: false },
          c: { type: 'object', additionalProperties: { type: 'string', bogusInAdditional: true }, 'x-kubernetes-map-type': 'atomic' },
          d: { type: 'string', bogus: true, 'x-kubernetes-validations': [{ rule: 'self != ""', messageExpression: '"x"', reason: 'FieldValueInvalid', fieldPath: '.x', optionalOldSelf: true }] },
        },
      };
    });
    const r = checkBody(CRD_MESSAGE, JSON.stringify(body));
    assert.equal(r.typeError, undefined);
    assert.deepEqual(r.strictErrors, ['unknown field "spec.versions[0].schema.openAPIV3Schema.properties.d.bogus"']);
    const pruned = pruneUnknownFields(CRD_MESSAGE, r.value) as any;
    const props = pruned.spec.versions[0].schema.openAPIV3Schema.properties;
    assert.deepEqual(props.a.items, [{ type: 'string' }]);
    assert.deepEqual(props.c.additionalProperties, { type: 'string' });
    assert.equal(props.b.additionalProperties, false);
    assert.equal(props.d.bogus, undefined);
    const schemaBody = (s: unknown) => JSON.stringify({ spec: { versions: [{ schema: { openAPIV3Schema: s } }] } });
    assert.equal(checkBody(CRD_MESSAGE, schemaBody({ additionalProperties: 'x' })).typeError, 'boolean or JSON schema expected');
    assert.match(checkBody(CRD_MESSAGE, schemaBody({ items: { type: 5 } })).typeError ?? '', /^json: cannot unmarshal number into Go struct field .*type of type string$/);
    assert.match(checkBody(CRD_MESSAGE, schemaBody({ items: ['x'] })).typeError ?? '', /^json: cannot unmarshal string into .* of type v1\.JSONSchemaProps$/);
    const scalarItems = checkBody(CRD_MESSAGE, schemaBody({ type: 'array', items: 'x', dependencies: { a: 1 } }));
    assert.equal(scalarItems.typeError, undefined);
    const prunedScalar = pruneUnknownFields(CRD_MESSAGE, scalarItems.value) as any;
    assert.deepEqual(prunedScalar.spec.versions[0].schema.openAPIV3Schema, { type: 'array', dependencies: { a: 1 } });
    assert.equal(checkBody(CRD_MESSAGE, '{"spec":{"versions":[{"served":"yes"}]}}').typeError,
      'json: cannot unmarshal string into Go struct field CustomResourceDefinitionVersion.spec.versions.served of type bool');
  });
});

describe('APIService', () => {
  const svc = (mut: (s: any) => void = () => {}): any => {
    const s: any = { metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, service: { name: 'metrics-server', namespace: 'kube-system' } } };
    mut(s);
    apiServices.applyDefaults(s);
    return s;
  };
  const msg = (s: any) => formatFieldErrors(apiServices.validate(s));
  it('defaults the service port to 443; local APIServices have none', () => {
    assert.equal(svc().spec.service.port, 443);
    assert.deepEqual(apiServices.validate(svc()), []);
    assert.deepEqual(apiServices.validate(svc((s) => { delete s.spec.service; })), []);
  });
  it('validation messages as upstream', () => {
    assert.equal(msg(svc((s) => { s.metadata.name = 'metrics'; })), 'metadata.name: Invalid value: "metrics": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"');
    assert.equal(msg(svc((s) => { s.metadata.name = 'a/b'; })), 'metadata.name: Invalid value: "a/b": may not contain \'/\'');
    assert.equal(msg(svc((s) => { s.spec.versionPriority = 0; })), 'spec.versionPriority: Invalid value: 0: must be positive and less than 1000');
    assert.equal(msg(svc((s) => { s.spec.groupPriorityMinimum = 20001; })), 'spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000');
    assert.equal(msg(svc((s) => { delete s.spec.service; s.spec.insecureSkipTLSVerify = true; })), 'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify');
    assert.equal(msg(svc((s) => { s.spec.service = { port: 70000 }; })),
      '[spec.service.namespace: Required value, spec.service.name: Required value, spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive]');
    assert.equal(msg(svc((s) => { s.spec.insecureSkipTLSVerify = true; s.spec.caBundle = Buffer.from('pem').toString('base64'); })),
      'spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present');
  });
});
