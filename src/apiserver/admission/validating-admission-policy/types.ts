/**
 * The admissionregistration/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * shapes the plugin reads, as stored.
 */
import type { KubeObject } from '../../../api/object.js';
import type { LabelSelectorLike } from '../../../machinery/labels.js';
import type { MatchCondition } from '../match/match-conditions.js';
import type { MatchResources } from '../match/match-resources.js';

/** One validation: a CEL bool expression, and what to say when it is false. */
export interface Validation { expression: string; message?: string; messageExpression?: string; reason?: string }

export interface ValidatingAdmissionPolicy extends KubeObject {
  spec?: {
    paramKind?: { apiVersion?: string; kind?: string };
    matchConstraints?: MatchResources;
    validations?: Validation[];
    failurePolicy?: 'Fail' | 'Ignore';
    matchConditions?: MatchCondition[];
    variables?: Array<{ name: string; expression: string }>;
    auditAnnotations?: Array<{ key: string; valueExpression: string }>;
  };
}

export interface ParamRef { name?: string; namespace?: string; selector?: LabelSelectorLike; parameterNotFoundAction?: 'Allow' | 'Deny' }

export interface ValidatingAdmissionPolicyBinding extends KubeObject {
  spec?: {
    policyName?: string;
    paramRef?: ParamRef;
    matchResources?: MatchResources;
    validationActions?: Array<'Deny' | 'Warn' | 'Audit'>;
  };
}
