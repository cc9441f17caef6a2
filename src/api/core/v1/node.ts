/** core/v1 Node: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import { notSupported } from '../../../machinery/field-errors.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { nodePrinter } from '../../printers/printers.js';
import { rfc3339 } from '../../../machinery/time.js';
import { core, metaOnly } from './core-helpers.js';
import { NodeSchema, type Node } from './types.js';

/** The taint a cordoned node carries (upstream TaintNodeUnschedulable). */
export const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Adds or removes the unschedulable taint to match spec.unschedulable. */
function syncUnschedulableTaint(node: Node, now: string): void {
  const spec = (node.spec ??= {});
  const taints = (spec.taints ?? []).filter((t) => !(t.key === UNSCHEDULABLE_TAINT.key && t.effect === UNSCHEDULABLE_TAINT.effect));
  const had = taints.length !== (spec.taints ?? []).length;
  if (spec.unschedulable) taints.push(had ? (spec.taints ?? []).find((t) => t.key === UNSCHEDULABLE_TAINT.key)! : { ...UNSCHEDULABLE_TAINT, timeAdded: now });
  if (taints.length) spec.taints = taints; else delete spec.taints;
}

/**
 * Node (pkg/registry/core/node): a created Node keeps the status its kubelet sends; the
 * main resource keeps status on update; a cordoned node (spec.unschedulable) carries the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint, which upstream's node lifecycle
 * controller adds — here it is kept in step on every write.
 */
export const nodeDefinition: ResourceDefinition<Node> = {
  info: core({ kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['proxy', 'status'] }),
  schema: NodeSchema,
  protobufMessage: 'k8s.io.api.core.v1.Node',
  printer: nodePrinter,
  strategy: {
    prepareForCreate(node, deps) { syncUnschedulableTaint(node, rfc3339(deps.clock())); },
    prepareForUpdate(node, old, deps) {
      if (old.status === undefined) delete node.status; else node.status = old.status;
      syncUnschedulableTaint(node, rfc3339(deps.clock()));
    },
  },
  applyDefaults(node) { node.spec ??= {}; },
  ...metaOnly<Node>(false, undefined, (node) => (node.spec?.taints ?? []).flatMap((t, i) =>
    (['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect) ? [] : [notSupported(`spec.taints[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])]))),
  fieldLabels: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
};
