/**
 * The controller manager's explicit registry: controller name → factory.
 */
import type { Client } from '../client/interface.js';
import type { SharedInformerFactory } from '../client/informers/types.js';
import type { Controller } from './controller.js';
import { DeploymentController } from './deployment/controller.js';
import { GarbageCollector } from './garbagecollector/controller.js';
import { NamespaceController } from './namespace/controller.js';
import { NodeIpamController } from './nodeipam/controller.js';
import { ReplicaSetController, ReplicationManager } from './replicaset/controller.js';
import { ServiceAccountController } from './serviceaccount/controller.js';
import { RootCACertPublisher } from './rootcacertpublisher/controller.js';
import { EndpointsController } from './endpoint/controller.js';
import { EndpointSliceController } from './endpointslice/controller.js';
import { JobController } from './job/controller.js';
import { TTLAfterFinishedController } from './ttlafterfinished/controller.js';
import { CronJobController } from './cronjob/controller.js';
import { PodGCController } from './podgc/controller.js';
import { StatefulSetController } from './statefulset/controller.js';
import { DaemonSetController } from './daemonset/controller.js';
import { NodeLifecycleController } from './nodelifecycle/controller.js';
import { TaintEvictionController } from './tainteviction/controller.js';
import { DisruptionController } from './disruption/controller.js';
import { ResourceQuotaController } from './resourcequota/controller.js';
import { HorizontalController } from './podautoscaler/controller.js';
import { ClusterRoleAggregationController } from './clusterroleaggregation/controller.js';
import { CsrSigningController, type SigningAuthority } from './certificates/signer.js';
import { CsrApprovingController } from './certificates/approver.js';
import { PvcProtectionController } from './volume/pvc-protection.js';
import { PvProtectionController } from './volume/pv-protection.js';

import type { ResourceTable } from '../api/resource-table.js';

/**
 * What every controller factory gets; `table` holds the kinds the GC and namespace
 * deletion walk; `signingAuthority` is the CA that csrsigning signs with (absent: that
 * controller does not run, as upstream's without --cluster-signing-cert-file).
 */
export interface ControllerContext { client: Client; informers: SharedInformerFactory; clusterCIDR: string; table: ResourceTable; rootCA: string; signingAuthority?: SigningAuthority }

/** Controller name → factory; a factory answers undefined when the controller cannot run with this context. */
export const controllerFactories: Record<string, (ctx: ControllerContext) => Controller | undefined> = {
  deployment: (c) => new DeploymentController(c.client, c.informers),
  replicaset: (c) => new ReplicaSetController(c.client, c.informers),
  replicationcontroller: (c) => new ReplicationManager(c.client, c.informers),
  garbagecollector: (c) => new GarbageCollector(c.client, c.informers, c.table),
  serviceaccount: (c) => new ServiceAccountController(c.client, c.informers),
  namespace: (c) => new NamespaceController(c.client, c.informers, c.table),
  'root-ca-cert-publisher': (c) => new RootCACertPublisher(c.client, c.informers, c.rootCA),
  nodeipam: (c) => new NodeIpamController(c.client, c.informers, c.clusterCIDR),
  endpoint: (c) => new EndpointsController(c.client, c.informers),
  endpointslice: (c) => new EndpointSliceController(c.client, c.informers),
  job: (c) => new JobController(c.client, c.informers),
  'ttl-after-finished': (c) => new TTLAfterFinishedController(c.client, c.informers),
  cronjob: (c) => new CronJobController(c.client, c.informers),
  podgc: (c) => new PodGCController(c.client, c.informers),
  statefulset: (c) => new StatefulSetController(c.client, c.informers),
  daemonset: (c) => new DaemonSetController(c.client, c.informers),
  nodelifecycle: (c) => new NodeLifecycleController(c.client, c.informers),
  'taint-eviction-controller': (c) => new TaintEvictionController(c.client, c.informers),
  disruption: (c) => new DisruptionController(c.client, c.informers),
  resourcequota: (c) => new ResourceQuotaController(c.client, c.informers, { table: c.table }),
  horizontalpodautoscaling: (c) => new HorizontalController(c.client, c.informers),
  'clusterrole-aggregation': (c) => new ClusterRoleAggregationController(c.client, c.informers),
  'pvc-protection': (c) => new PvcProtectionController(c.client, c.informers),
  'pv-protection': (c) => new PvProtectionController(c.client, c.informers),
  csrapproving: (c) => new CsrApprovingController(c.client, c.informers),
  csrsigning: (c) => (c.signingAuthority ? new CsrSigningController(c.client, c.informers, c.signingAuthority) : undefined),
};
