/**
 * ValidatingAdmissionPolicy (upstream admission/plugin/policy/validating plugin.go and
 * dispatcher.go): a validating plugin. For each stored policy whose matchConstraints
 * match the request, each binding naming it whose matchResources match (absent: all)
 * is evaluated with each of its params (params.ts, validator.ts). A denied validation
 * acts as the binding's validationActions say:
 * - Deny: the request is refused — the first denial, once every policy has run — with
 *   `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy 'P' with binding 'B'
 *   denied request: <message>`, reason the validation's (default Invalid) and its code
 *   (Forbidden 403, Unauthorized 401, RequestEntityTooLarge 413, otherwise 422);
 * - Warn: `Validation failed for ValidatingAdmissionPolicy 'P' with binding 'B': <message>`
 *   joins the request's warnings;
 * - Audit: the failures are noted on the request's audit events as upstream, under
 *   `validation.policy.admission.k8s.io/validation_failure` (a JSON list of message,
 *   policy, binding, expressionIndex, validationActions).
 * A binding or policy that cannot be applied (unknown paramKind, missing params with
 * parameterNotFoundAction Deny...) is denied as `failed to configure binding: <error>`
 * under failurePolicy Fail (the default) and skipped under Ignore. Writes of the
 * admission configuration kinds are exempt, as upstream.
 */
import type { KubeObject } from '../../../api/object.js';
import { forbidden, type StatusError, type StatusReason } from '../../../machinery/errors.js';
import type { AdmissionObjects } from '../admission-objects.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { matchesResources } from '../match/match-resources.js';
import type { NamespaceGetter } from '../match/namespace-selector.js';
import { isExemptFromWebhooks } from '../webhook/matcher.js';
import { collectParams, PolicyConfigError } from './params.js';
import type { PolicySource } from './policy-source.js';
import { validatePolicy } from './validator.js';

/** What the plugin reads: the policies, Namespaces, params (stored objects), a logger. */
export interface PolicyPluginDeps {
  source: PolicySource;
  namespace: NamespaceGetter;
  objects: AdmissionObjects;
  log?: (message: string) => void;
}

const CODES: Partial<Record<string, number>> = { Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413, Invalid: 422 };

/** The refusal of a denied request (upstream admission.NewForbidden with the decision's reason and code). */
export function policyDenial(attrs: AdmissionAttributes, message: string, reason: string | undefined): StatusError {
  const name = attrs.name || (attrs.object?.metadata.name ?? '');
  const resource = attrs.resource.plural;
  const qualified = attrs.resource.group ? `${resource}.${attrs.resource.group}` : resource;
  const err = forbidden(name ? `${qualified} "${name}" is forbidden: ${message}` : `${qualified} is forbidden: ${message}`, { group: attrs.resource.group, resource, name });
  const r = reason || 'Invalid';
  err.status.reason = r as StatusReason;
  err.status.code = CODES[r] ?? 422;
  err.status.details = { ...(err.status.details ?? {}), causes: [{ message }] };
  return err;
}

/** The ValidatingAdmissionPolicy plugin over `deps`. */
export function validatingAdmissionPolicy(deps: PolicyPluginDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionPolicy',
    async validate(attrs) {
      if (isExemptFromWebhooks(attrs)) return;
      const policies = await deps.source.policies();
      if (!policies.length) return;
      let denial: StatusError | undefined;
      const auditFailures: Array<{ message: string; policy: string; binding: string; expressionIndex: number; validationActions: string[] }> = [];
      let namespaceObject: KubeObject | undefined | null = null;
      const nsObject = async () => {
        if (namespaceObject === null) namespaceObject = attrs.namespace ? await deps.namespace(attrs.namespace) : undefined;
        return namespaceObject;
      };
      for (const { policy, bindings } of policies) {
        const P = policy.metadata.name!;
        if (!(await matchesResources(policy.spec?.matchConstraints, attrs, deps.namespace))) continue;
        for (const binding of bindings) {
          const B = binding.metadata.name!;
          if (!(await matchesResources(binding.spec?.matchResources, attrs, deps.namespace))) continue;
          let params: Array<KubeObject | null>;
          try {
            params = await collectParams(policy, binding.spec?.paramRef, attrs, deps.objects);
          } catch (err) {
            if (!(err instanceof PolicyConfigError)) throw err;
            const message = `failed to configure binding: ${err.message}`;
            if (policy.spec?.failurePolicy === 'Ignore') { deps.log?.(`ValidatingAdmissionPolicy '${P}' with binding '${B}': ${message}`); continue; }
            denial ??= policyDenial(attrs, `ValidatingAdmissionPolicy '${P}' with binding '${B}' denied request: ${message}`, undefined);
            continue;
          }
          const actions = binding.spec?.validationActions ?? [];
          for (const param of params) {
            const { decisions, auditAnnotations } = validatePolicy(policy, attrs, param, await nsObject());
            for (const [k, v] of Object.entries(auditAnnotations)) attrs.auditAnnotate?.(k, v);
            for (const [expressionIndex, d] of decisions.entries()) {
              if (d.action !== 'deny') continue;
              if (actions.includes('Audit')) auditFailures.push({ message: d.message ?? '', policy: P, binding: B, expressionIndex, validationActions: actions });
              if (actions.includes('Deny')) denial ??= policyDenial(attrs, `ValidatingAdmissionPolicy '${P}' with binding '${B}' denied request: ${d.message}`, d.reason);
              if (actions.includes('Warn')) attrs.warnings?.push(`Validation failed for ValidatingAdmissionPolicy '${P}' with binding '${B}': ${d.message}`);
            }
          }
        }
      }
      if (auditFailures.length) attrs.auditAnnotate?.('validation.policy.admission.k8s.io/validation_failure', JSON.stringify(auditFailures));
      if (denial) throw denial;
    },
  };
}
