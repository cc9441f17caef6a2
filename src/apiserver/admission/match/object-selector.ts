/**
 * objectSelector of webhooks and policies (upstream
 * k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/object/matcher.go): matches
 * when the labels of the new object or of the old object match. An absent selector is
 * `{}` (everything).
 */
import { selectorFromLabelSelector, type LabelSelectorLike } from '../../../machinery/labels.js';
import type { AdmissionAttributes } from '../interface.js';

/** Whether the object's or old object's labels match `selector`. Throws BadRequest for a malformed selector. */
export function matchesObjectSelector(selector: LabelSelectorLike | null | undefined, attrs: AdmissionAttributes): boolean {
  const sel = selectorFromLabelSelector(selector ?? {});
  if (sel.empty()) return true;
  const labels = (o: typeof attrs.object) => (o ? (o.metadata.labels ?? {}) as Record<string, string> : undefined);
  const cur = labels(attrs.object);
  const old = labels(attrs.oldObject);
  return (!!cur && sel.matches(cur)) || (!!old && sel.matches(old));
}
