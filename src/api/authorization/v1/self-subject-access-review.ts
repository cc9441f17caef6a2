/** SelfSubjectAccessReview (authorization.k8s.io/v1): may I do this? (`kubectl auth can-i`). Create-only; pkg/registry/authorization/selfsubjectaccessreview. */
import { reviewDefinition, validateClusterAccessReview } from './review-helpers.js';

export const selfSubjectAccessReviewDefinition = reviewDefinition('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, (r) => validateClusterAccessReview(r, true));
