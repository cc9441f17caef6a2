/**
 * apps/v1 Deployment and ReplicaSet, autoscaling/v1 Scale (API reference "Deployment v1
 * apps", "ReplicaSet v1 apps", "Scale v1 autoscaling").
 */
import { Type, type Static } from '@sinclair/typebox';
import { Bool, Int, IntOrString, MergeList, Obj, Str } from '../../schema.js';
import { ConditionSchema, LabelSelectorSchema } from '../../meta/v1/types.js';
import { PodTemplateSpecSchema } from '../../core/v1/pod-types.js';
import { KindObject } from '../../core/v1/types.js';

export const DeploymentSchema = KindObject({
  spec: Obj({
    replicas: Int(), selector: LabelSelectorSchema, template: PodTemplateSpecSchema,
    strategy: Obj({ type: Str(), rollingUpdate: Obj({ maxUnavailable: IntOrString(), maxSurge: IntOrString() }) }),
    minReadySeconds: Int(), revisionHistoryLimit: Int(), paused: Bool(), progressDeadlineSeconds: Int(),
  }),
  status: Obj({
    observedGeneration: Int(), replicas: Int(), updatedReplicas: Int(), readyReplicas: Int(), availableReplicas: Int(),
    unavailableReplicas: Int(), conditions: MergeList(ConditionSchema, 'type'), collisionCount: Int(),
  }),
});
export const ReplicaSetSchema = KindObject({
  spec: Obj({ replicas: Int(), minReadySeconds: Int(), selector: LabelSelectorSchema, template: PodTemplateSpecSchema }),
  status: Obj({ replicas: Int(), fullyLabeledReplicas: Int(), readyReplicas: Int(), availableReplicas: Int(), observedGeneration: Int(), conditions: MergeList(ConditionSchema, 'type') }),
});
export const ScaleSchema = KindObject({ spec: Obj({ replicas: Int() }), status: Type.Optional(Obj({ replicas: Int(), selector: Str() })) });

export type Deployment = Static<typeof DeploymentSchema>;
export type ReplicaSet = Static<typeof ReplicaSetSchema>;
export type Scale = Static<typeof ScaleSchema>;
