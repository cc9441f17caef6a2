/**
 * The built-in kinds, one line each, in discovery order. Adding a built-in kind is one
 * module (`api/<group>/<version>/<kind>.ts`) and one line here.
 */
import { untyped, type ResourceDefinition } from './resource-definition.js';
import { ResourceTable } from './resource-table.js';
import { bindingDefinition } from './core/v1/binding.js';
import { componentStatusDefinition } from './core/v1/component-status.js';
import { configMapDefinition } from './core/v1/config-map.js';
import { endpointsDefinition } from './core/v1/endpoints.js';
import { eventDefinition } from './core/v1/event.js';
import { namespaceDefinition } from './core/v1/namespace.js';
import { nodeDefinition } from './core/v1/node.js';
import { podDefinition } from './core/v1/pod.js';
import { secretDefinition } from './core/v1/secret.js';
import { serviceAccountDefinition } from './core/v1/service-account.js';
import { serviceDefinition } from './core/v1/service.js';
import { deploymentDefinition, replicaSetDefinition } from './apps/v1/kinds.js';
import { selfSubjectReviewDefinition } from './authentication/v1/self-subject-review.js';
import { tokenReviewDefinition } from './authentication/v1/token-review.js';
import { localSubjectAccessReviewDefinition } from './authorization/v1/local-subject-access-review.js';
import { selfSubjectAccessReviewDefinition } from './authorization/v1/self-subject-access-review.js';
import { selfSubjectRulesReviewDefinition } from './authorization/v1/self-subject-rules-review.js';
import { subjectAccessReviewDefinition } from './authorization/v1/subject-access-review.js';
import { leaseDefinition } from './coordination/v1/lease.js';
import { persistentVolumeDefinition } from './core/v1/persistent-volume.js';
import { persistentVolumeClaimDefinition } from './core/v1/persistent-volume-claim.js';
import { limitRangeDefinition } from './core/v1/limit-range.js';
import { resourceQuotaDefinition } from './core/v1/resource-quota.js';
import { replicationControllerDefinition } from './core/v1/replication-controller.js';
import { podTemplateDefinition } from './core/v1/pod-template.js';
import { daemonSetDefinition } from './apps/v1/daemon-set.js';
import { statefulSetDefinition } from './apps/v1/stateful-set.js';
import { controllerRevisionDefinition } from './apps/v1/controller-revision.js';
import { jobDefinition } from './batch/v1/job.js';
import { cronJobDefinition } from './batch/v1/cron-job.js';
import { horizontalPodAutoscalerDefinition } from './autoscaling/v2/horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalerV1Definition } from './autoscaling/v1/horizontal-pod-autoscaler.js';
import { eventV1Definition } from './events/v1/event.js';
import { podDisruptionBudgetDefinition } from './policy/v1/pod-disruption-budget.js';
import { roleDefinition } from './rbac/v1/role.js';
import { clusterRoleDefinition } from './rbac/v1/cluster-role.js';
import { roleBindingDefinition } from './rbac/v1/role-binding.js';
import { clusterRoleBindingDefinition } from './rbac/v1/cluster-role-binding.js';
import { endpointSliceDefinition } from './discovery/v1/endpoint-slice.js';
import { ingressDefinition } from './networking/v1/ingress.js';
import { ingressClassDefinition } from './networking/v1/ingress-class.js';
import { networkPolicyDefinition } from './networking/v1/network-policy.js';
import { storageClassDefinition } from './storage/v1/storage-class.js';
import { cSIDriverDefinition } from './storage/v1/csi-driver.js';
import { cSINodeDefinition } from './storage/v1/csi-node.js';
import { volumeAttachmentDefinition } from './storage/v1/volume-attachment.js';
import { cSIStorageCapacityDefinition } from './storage/v1/csi-storage-capacity.js';
import { priorityClassDefinition } from './scheduling/v1/priority-class.js';
import { runtimeClassDefinition } from './node/v1/runtime-class.js';
import { certificateSigningRequestDefinition } from './certificates/v1/certificate-signing-request.js';
import { mutatingWebhookConfigurationDefinition } from './admissionregistration/v1/mutating-webhook-configuration.js';
import { validatingWebhookConfigurationDefinition } from './admissionregistration/v1/validating-webhook-configuration.js';
import { validatingAdmissionPolicyDefinition } from './admissionregistration/v1/validating-admission-policy.js';
import { validatingAdmissionPolicyBindingDefinition } from './admissionregistration/v1/validating-admission-policy-binding.js';
import { customResourceDefinitionDefinition } from './apiextensions/v1/custom-resource-definition.js';
import { apiServiceDefinition } from './apiregistration/v1/api-service.js';
import { flowSchemaDefinition } from './flowcontrol/v1/flow-schema.js';
import { priorityLevelConfigurationDefinition } from './flowcontrol/v1/priority-level-configuration.js';
import { nodeMetricsDefinition } from './metrics/v1beta1/node-metrics.js';
import { podMetricsDefinition } from './metrics/v1beta1/pod-metrics.js';

/** Every built-in definition (a new array each call). */
export function builtinResources(): ResourceDefinition[] {
  return [
    untyped(namespaceDefinition),
    untyped(podDefinition),
    untyped(bindingDefinition),
    untyped(nodeDefinition),
    untyped(serviceDefinition),
    untyped(endpointsDefinition),
    untyped(configMapDefinition),
    untyped(secretDefinition),
    untyped(serviceAccountDefinition),
    untyped(eventDefinition),
    untyped(componentStatusDefinition),
    untyped(persistentVolumeDefinition),
    untyped(persistentVolumeClaimDefinition),
    untyped(limitRangeDefinition),
    untyped(resourceQuotaDefinition),
    untyped(replicationControllerDefinition),
    untyped(podTemplateDefinition),
    untyped(deploymentDefinition),
    untyped(replicaSetDefinition),
    untyped(daemonSetDefinition),
    untyped(statefulSetDefinition),
    untyped(controllerRevisionDefinition),
    untyped(selfSubjectReviewDefinition),
    untyped(tokenReviewDefinition),
    untyped(localSubjectAccessReviewDefinition),
    untyped(selfSubjectAccessReviewDefinition),
    untyped(selfSubjectRulesReviewDefinition),
    untyped(subjectAccessReviewDefinition),
    untyped(leaseDefinition),
    untyped(jobDefinition),
    untyped(cronJobDefinition),
    untyped(horizontalPodAutoscalerDefinition),
    // Served over autoscaling/v2's storage; after it, so v2 stays the preferred version.
    untyped(horizontalPodAutoscalerV1Definition),
    untyped(podDisruptionBudgetDefinition),
    untyped(roleDefinition),
    untyped(clusterRoleDefinition),
    untyped(roleBindingDefinition),
    untyped(clusterRoleBindingDefinition),
    untyped(endpointSliceDefinition),
    // Served over core/v1 Event storage.
    untyped(eventV1Definition),
    untyped(ingressDefinition),
    untyped(ingressClassDefinition),
    untyped(networkPolicyDefinition),
    untyped(storageClassDefinition),
    untyped(cSIDriverDefinition),
    untyped(cSINodeDefinition),
    untyped(volumeAttachmentDefinition),
    untyped(cSIStorageCapacityDefinition),
    untyped(priorityClassDefinition),
    untyped(runtimeClassDefinition),
    untyped(certificateSigningRequestDefinition),
    untyped(mutatingWebhookConfigurationDefinition),
    untyped(validatingWebhookConfigurationDefinition),
    untyped(validatingAdmissionPolicyDefinition),
    untyped(validatingAdmissionPolicyBindingDefinition),
    untyped(flowSchemaDefinition),
    untyped(priorityLevelConfigurationDefinition),
    untyped(customResourceDefinitionDefinition),
    untyped(apiServiceDefinition),
    // Computed on read from the kubelets (k8ts has no metrics-server).
    untyped(nodeMetricsDefinition),
    untyped(podMetricsDefinition),
  ];
}

/** A new table holding the built-in kinds (each server or client gets its own, so run-time kinds don't leak). */
export const builtinResourceTable = (): ResourceTable => new ResourceTable(builtinResources());
