/** LocalSubjectAccessReview (authorization.k8s.io/v1, namespaced): a SubjectAccessReview within one namespace. Create-only; pkg/registry/authorization/localsubjectaccessreview. */
import { reviewDefinition, validateLocalAccessReview } from './review-helpers.js';

export const localSubjectAccessReviewDefinition = reviewDefinition('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true, validateLocalAccessReview);
