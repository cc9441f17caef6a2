/** API Priority and Fairness (upstream KEP-1040, flowcontrol.apiserver.k8s.io/v1): see docs/apiserver.md. */
export { FlowController, DEFAULT_REQUEST_WAIT_LIMIT_MS, type FlowControllerOptions, type FlowDecision } from './flow-controller.js';
export { FairQueueSet, type Admission, type QueuingParameters, type RejectReason } from './fair-queue-set.js';
export { classify, flowDistinguisher, flowSchemaMatches, sortFlowSchemas, type Classification } from './classifier.js';
export { dealHand, flowHash } from './shuffle-sharding.js';
export { estimateSeats, cachedObjectCounts, type ObjectCountOf } from './work-estimator.js';
export { nominalLimits, DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT, DEFAULT_MAX_REQUESTS_INFLIGHT } from './concurrency-limits.js';
export { mandatoryFlowSchemas, mandatoryPriorityLevels, suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap-configuration.js';
export { ensureFlowControlBootstrap, AUTOUPDATE_SPEC_ANNOTATION, type EnsureReport } from './ensure-bootstrap.js';
export { registryConfigSource, runConfigLoop, type FlowControlConfigSource } from './config-source.js';
export { createApfMetrics, type ApfMetrics } from './apf-metrics.js';
export { writeTooManyRequests, TOO_MANY_REQUESTS_MESSAGE } from './too-many-requests.js';
export { allocateConcurrency, borrowingBounds, type BorrowingInput } from './borrowing.js';
export { DroppedRequestsTracker } from './dropped-requests-tracker.js';
export { danglingCondition, updateFlowSchemaStatuses, type FlowSchemaCondition } from './flow-schema-status.js';
export { createFlowControlFilter, isLongRunning, FLOW_SCHEMA_UID_HEADER, PRIORITY_LEVEL_UID_HEADER, type FlowControlFilter, type FlowControlSettings } from './flow-control-filter.js';
export type { FlowSchemaObject, PriorityLevelConfigurationObject, FlowSchemaSpec, PriorityLevelConfigurationSpec } from './flowcontrol-types.js';
export { goDurationMs, requestWaitLimitMs } from './request-wait-limit.js';
