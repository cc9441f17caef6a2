/**
 * The params a binding gives its policy (upstream
 * admission/plugin/policy/generic CollectParams): without a paramKind, one evaluation
 * with `params` null. With one, `paramRef.name` names one object, `paramRef.selector`
 * selects any number (each is evaluated); a namespaced param kind is read in
 * `paramRef.namespace`, else the request's namespace (a cluster-scoped request then is a
 * configuration error). No params found: nothing is evaluated, unless
 * `parameterNotFoundAction` is Deny, which is a configuration error
 * (`no params found for policy binding with \`Deny\` parameterNotFoundAction`).
 * Configuration errors are thrown as {@link PolicyConfigError}; the plugin judges them
 * by the policy's failurePolicy.
 */
import type { KubeObject } from '../../../api/object.js';
import { selectorFromLabelSelector } from '../../../machinery/labels.js';
import type { AdmissionObjects } from '../admission-objects.js';
import type { AdmissionAttributes } from '../interface.js';
import type { ParamRef, ValidatingAdmissionPolicy } from './types.js';

/** A policy or binding that cannot be applied as configured. */
export class PolicyConfigError extends Error {
  readonly code = 'ERR_POLICY_CONFIG';
  constructor(message: string) { super(message); this.name = 'PolicyConfigError'; }
}

/** The params to evaluate the policy with: `[null]` without a paramKind, possibly empty. Throws PolicyConfigError. */
export async function collectParams(policy: ValidatingAdmissionPolicy, paramRef: ParamRef | undefined, attrs: AdmissionAttributes, objects: AdmissionObjects): Promise<Array<KubeObject | null>> {
  const kind = policy.spec?.paramKind;
  if (!kind) return [null];
  if (!paramRef) throw new PolicyConfigError('paramKind is set on the policy but the binding has no paramRef');
  const info = objects.resourceFor(kind.apiVersion ?? '', kind.kind ?? '');
  if (!info) throw new PolicyConfigError(`paramKind kind \`${kind.apiVersion ?? ''}, Kind=${kind.kind ?? ''}\` not known`);
  let namespace = '';
  if (info.namespaced) {
    namespace = paramRef.namespace || attrs.namespace;
    if (!namespace) throw new PolicyConfigError('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
  }
  let params: KubeObject[] = [];
  if (paramRef.name) {
    if (paramRef.selector) throw new PolicyConfigError('paramRef.name and paramRef.selector are mutually exclusive');
    const p = await objects.get(info.group, info.version, info.plural, paramRef.name, namespace);
    params = p ? [p] : [];
  } else if (paramRef.selector) {
    let sel;
    try { sel = selectorFromLabelSelector(paramRef.selector); } catch (err) { throw new PolicyConfigError((err as Error).message); }
    params = (await objects.list(info.group, info.version, info.plural, namespace)).filter((o) => sel.matches((o.metadata.labels ?? {}) as Record<string, string>));
  }
  if (!params.length && paramRef.parameterNotFoundAction === 'Deny') throw new PolicyConfigError('no params found for policy binding with `Deny` parameterNotFoundAction');
  return params;
}
