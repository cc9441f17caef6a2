/**
 * The few fields whose protobuf name is not their JSON name. go-to-protobuf names a field
 * after its JSON tag, but where the tag's name was not usable it took the Go field name
 * (`Webhooks`, `Expression`) or a mangled one (`aPIGroup`, `uID`). The JSON names are
 * the API reference's. `DaemonEndpoint.Port` really is `Port` in JSON, so it is not here.
 * apiextensions' JSONSchemaProps spells JSON Schema's `$ref`/`$schema` and the
 * `x-kubernetes-*` extensions in its JSON tags (upstream types_jsonschema.go).
 */
const JSON_NAMES: Record<string, string> = {
  'k8s.io.api.admissionregistration.v1.MutatingWebhookConfiguration.Webhooks': 'webhooks',
  'k8s.io.api.admissionregistration.v1.ValidatingWebhookConfiguration.Webhooks': 'webhooks',
  'k8s.io.api.admissionregistration.v1.Validation.Expression': 'expression',
  'k8s.io.api.admissionregistration.v1.Variable.Name': 'name',
  'k8s.io.api.admissionregistration.v1.Variable.Expression': 'expression',
  'k8s.io.api.authentication.v1.BoundObjectReference.uID': 'uid',
  'k8s.io.api.networking.v1.IngressClassParametersReference.aPIGroup': 'apiGroup',
  // apiextensions.k8s.io/v1 JSONSchemaProps: JSON Schema keywords and OpenAPI extensions.
  ...Object.fromEntries([
    ['schema', '$schema'], ['ref', '$ref'], ['xKubernetesPreserveUnknownFields', 'x-kubernetes-preserve-unknown-fields'],
    ['xKubernetesEmbeddedResource', 'x-kubernetes-embedded-resource'], ['xKubernetesIntOrString', 'x-kubernetes-int-or-string'],
    ['xKubernetesListMapKeys', 'x-kubernetes-list-map-keys'], ['xKubernetesListType', 'x-kubernetes-list-type'],
    ['xKubernetesMapType', 'x-kubernetes-map-type'], ['xKubernetesValidations', 'x-kubernetes-validations'],
  ].map(([proto, json]) => [`k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.${proto}`, json])),
};

/** The JSON name of field `field` of the fully-qualified message `message`. */
export const jsonNameOf = (message: string, field: string): string => JSON_NAMES[`${message.replace(/^\./, '')}.${field}`] ?? field;
