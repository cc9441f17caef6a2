/** SubjectAccessReview (authorization.k8s.io/v1, cluster-scoped): may user/groups do this? Create-only; pkg/registry/authorization/subjectaccessreview. */
import { reviewDefinition, validateClusterAccessReview } from './review-helpers.js';

export const subjectAccessReviewDefinition = reviewDefinition('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', false, (r) => validateClusterAccessReview(r, false));
