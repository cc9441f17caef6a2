/** SelfSubjectReview (authentication.k8s.io/v1): who am I? (`kubectl auth whoami`). Create-only; pkg/registry/authentication/selfsubjectreview. */
import { reviewDefinition } from '../../authorization/v1/review-helpers.js';

export const selfSubjectReviewDefinition = reviewDefinition('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false);
