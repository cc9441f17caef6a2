/**
 * The scheduling framework (upstream pkg/scheduler/framework/interface.go): plugins per
 * extension point return a {@link Status} value — an expected rejection is a value,
 * not an exception.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip';

export interface Status { code: Code; reasons: string[]; plugin?: string }
export const success = (): Status => ({ code: 'Success', reasons: [] });
export const unschedulable = (reason: string, unresolvable = false): Status => ({ code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: [reason] });

/** What a plugin sees of a node: the Node and the pods bound (or assumed) to it. */
export interface NodeInfo { node: Node; pods: Pod[] }

export interface Plugin { readonly name: string }
export interface FilterPlugin extends Plugin { filter(pod: Pod, node: NodeInfo): Status }
/** Scores 0..100, higher is better. */
export interface ScorePlugin extends Plugin { score(pod: Pod, node: NodeInfo): number; weight?: number }

export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
