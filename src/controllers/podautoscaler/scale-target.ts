/**
 * The `scale` subresource of an HPA's target (upstream uses the RESTMapper and the scale
 * client): the API path of `<apiVersion, kind, name>`'s scale. Deployments,
 * ReplicaSets, StatefulSets and ReplicationControllers are known; another kind is
 * addressed by the plural upstream's UnsafeGuessKindToResource guesses (as a CRD with
 * a scale subresource would usually be named).
 */
const PLURALS: Record<string, string> = {
  Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', ReplicationController: 'replicationcontrollers',
};

/** Upstream meta.UnsafeGuessKindToResource: the lower-cased kind + `s` (`es` after an s, `ies` for a final y). */
export function guessResource(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** `/apis/apps/v1/namespaces/<ns>/deployments/<name>/scale`; throws Error on an unparsable apiVersion. */
export function scalePath(namespace: string, ref: { apiVersion?: string; kind: string; name: string }): string {
  const apiVersion = ref.apiVersion ?? (ref.kind === 'ReplicationController' ? 'v1' : 'apps/v1');
  const parts = apiVersion.split('/');
  if (parts.length > 2 || parts.some((p) => !p)) throw new Error(`invalid API version in scale target reference: unexpected GroupVersion string: ${apiVersion}`);
  const plural = PLURALS[ref.kind] ?? guessResource(ref.kind);
  const base = parts.length === 1 ? `/api/${apiVersion}` : `/apis/${apiVersion}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(ref.name)}/scale`;
}
