/**
 * Deployment and ReplicaSet strategies (upstream pkg/registry/apps/deployment and
 * replicaset strategy.go): status cleared on create, metadata.generation bumped on
 * every spec change (controllers report it back as status.observedGeneration).
 */
import { findKind } from '../../../api/kinds.js';
import { defaultStrategy, type Strategy } from '../strategy.js';

export const deploymentStrategy = (): Strategy => defaultStrategy(findKind('apps', 'deployments')!, { tracksGeneration: true });
export const replicaSetStrategy = (): Strategy => defaultStrategy(findKind('apps', 'replicasets')!, { tracksGeneration: true });
