/** SelfSubjectRulesReview (authorization.k8s.io/v1): what may I do in a namespace? (`kubectl auth can-i --list`). Create-only, no validation upstream; pkg/registry/authorization/selfsubjectrulesreview. */
import { reviewDefinition } from './review-helpers.js';

export const selfSubjectRulesReviewDefinition = reviewDefinition('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false);
