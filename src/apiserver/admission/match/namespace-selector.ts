/**
 * namespaceSelector of webhooks and policies (upstream
 * k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/namespace/matcher.go):
 * cluster-scoped requests always match, except Namespace objects, which are judged by
 * their own labels (the old object's on DELETE); namespaced requests by the labels of
 * their stored Namespace (a missing namespace has no labels). An absent selector is `{}`
 * (everything), as the API's defaulting makes it.
 */
import type { KubeObject } from '../../../api/object.js';
import { selectorFromLabelSelector, type LabelSelectorLike } from '../../../machinery/labels.js';
import type { AdmissionAttributes } from '../interface.js';

/** Reads a stored Namespace by name (undefined when absent). */
export type NamespaceGetter = (name: string) => Promise<KubeObject | undefined>;

/** Whether the request's namespace labels match `selector`. Throws BadRequest for a malformed selector. */
export async function matchesNamespaceSelector(selector: LabelSelectorLike | null | undefined, attrs: AdmissionAttributes, getNamespace: NamespaceGetter): Promise<boolean> {
  const sel = selectorFromLabelSelector(selector ?? {});
  if (sel.empty()) return true;
  const isNamespace = attrs.resource.group === '' && attrs.resource.plural === 'namespaces';
  if (isNamespace) {
    const obj = attrs.operation === 'DELETE' ? attrs.oldObject : attrs.object ?? attrs.oldObject;
    return sel.matches((obj?.metadata.labels ?? {}) as Record<string, string>);
  }
  if (!attrs.namespace) return true;
  const ns = await getNamespace(attrs.namespace);
  return sel.matches((ns?.metadata.labels ?? {}) as Record<string, string>);
}
