/** TokenReview (authentication.k8s.io/v1): who is this bearer token? Create-only; checks are BadRequests of pkg/registry/authentication/tokenreview. */
import { reviewDefinition } from '../../authorization/v1/review-helpers.js';

export const tokenReviewDefinition = reviewDefinition('authentication.k8s.io', 'TokenReview', 'tokenreviews', false);
