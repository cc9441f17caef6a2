/**
 * The `scale` subresource of an HPA's target (upstream uses the RESTMapper and the scale
 * client): the API path of `<apiVersion, kind, name>`'s scale. Deployments,
 * ReplicaSets, StatefulSets and ReplicationControllers are known; another kind is
 * addressed by its lower-cased plural (`<kind>s`, as a CRD with a scale subresource
 * would usually be).
 */
const PLURALS: Record<string, string> = {
  Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', ReplicationController: 'replicationcontrollers',
};

/** `/apis/apps/v1/namespaces/<ns>/deployments/<name>/scale`; throws Error on an unparsable apiVersion. */
export function scalePath(namespace: string, ref: { apiVersion?: string; kind: string; name: string }): string {
  const apiVersion = ref.apiVersion ?? (ref.kind === 'ReplicationController' ? 'v1' : 'apps/v1');
  const parts = apiVersion.split('/');
  if (parts.length > 2 || parts.some((p) => !p)) throw new Error(`invalid API version in scale target reference: unexpected GroupVersion string: ${apiVersion}`);
  const plural = PLURALS[ref.kind] ?? `${ref.kind.toLowerCase()}s`;
  const base = parts.length === 1 ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(ref.name)}/scale`;
}
