/**
 * meta/v1 schemas (API reference "Common Definitions"): ObjectMeta, ListMeta,
 * LabelSelector, OwnerReference, Condition. ObjectMeta's static type is assignable to
 * src/api/object.ts's ObjectMeta.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Any, AtomicList, Bool, Int, MergeList, Obj, SetList, Str, StringMap, Time } from '../../schema.js';

export const OwnerReferenceSchema = Type.Object({
  apiVersion: Str(), kind: Str(), name: Str(), uid: Str(),
  controller: Type.Optional(Bool()), blockOwnerDeletion: Type.Optional(Bool()),
}, { additionalProperties: true });

export const ObjectMetaSchema = Obj({
  name: Str(), generateName: Str(), namespace: Str(), uid: Str(), resourceVersion: Str(), generation: Int(),
  creationTimestamp: Time(), deletionTimestamp: Time(), deletionGracePeriodSeconds: Int(),
  labels: StringMap(), annotations: StringMap(),
  ownerReferences: MergeList(OwnerReferenceSchema, 'uid'),
  finalizers: SetList(Str()),
  managedFields: AtomicList(Obj({ manager: Str(), operation: Str(), apiVersion: Str(), time: Str(), fieldsType: Str(), fieldsV1: Any(), subresource: Str() })),
});

export const LabelSelectorRequirementSchema = Type.Object({ key: Str(), operator: Str(), values: Type.Optional(AtomicList(Str())) }, { additionalProperties: true });
export const LabelSelectorSchema = Obj({ matchLabels: StringMap(), matchExpressions: AtomicList(LabelSelectorRequirementSchema) }, 'A label query over a set of resources.');
export type LabelSelector = Static<typeof LabelSelectorSchema>;
export type LabelSelectorRequirement = Static<typeof LabelSelectorRequirementSchema>;

export const ConditionSchema = Obj({ type: Str(), status: Str(), observedGeneration: Int(), lastTransitionTime: Time(), lastUpdateTime: Time(), lastProbeTime: Time(), lastHeartbeatTime: Time(), reason: Str(), message: Str() });
export type Condition = Static<typeof ConditionSchema>;
