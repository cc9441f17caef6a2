/**
 * The cloud controller manager's service controller with k8ts' local load-balancer
 * provider (upstream staging/src/k8s.io/cloud-provider/controllers/service; the
 * default provider behaves as k3s's ServiceLB, the pool provider as MetalLB's layer-2
 * mode without announcements):
 *
 * - `type: LoadBalancer` Services without `spec.loadBalancerClass` get the finalizer
 *   `service.kubernetes.io/load-balancer-cleanup`, then `status.loadBalancer.ingress`:
 *   by default the InternalIPs of the Ready nodes (kube-proxy answers the Service's
 *   ports there); with `pool`, one address from the configured range per Service
 *   (`spec.loadBalancerIP` honoured when free). Events EnsuringLoadBalancer /
 *   EnsuredLoadBalancer as upstream's.
 * - A Service that stops being a LoadBalancer, or is deleted, has its status cleared
 *   and the finalizer removed (events DeletingLoadBalancer / DeletedLoadBalancer).
 * - Default provider: two Services may not share a port on the node addresses; the
 *   later one stays pending with a Warning `PortInUse` event, as ServiceLB leaves it.
 *
 * A pool must be routed to the node's bridge or to loopback (ARCHITECTURE.md §4); the
 * caller checks it is inside the service or cluster CIDR, or 127.0.0.0/8.
 */
import type { Node, Service } from '../api/core/v1/types.js';
import { resources, type Client } from '../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../client/informers/types.js';
import { createEventRecorder, type EventRecorder } from '../client/events.js';
import { isNotFound } from '../machinery/errors.js';
import { QueueController } from '../controllers/controller.js';
import { intToIp, ipToInt, parseCIDR } from '../machinery/cidr.js';

export const LB_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

export interface ServiceLBOptions {
  /** An address range (CIDR) to hand out, one address per Service; default: the nodes' InternalIPs. */
  pool?: string;
}

const isLB = (s: Service): boolean => s.spec?.type === 'LoadBalancer' && !s.spec?.loadBalancerClass;
/** The ingress addresses of a Service's status. */
const ingressIPs = (s: Service): string[] => ((s.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string }>).map((i) => i.ip ?? '');
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

export class ServiceLBController extends QueueController {
  private readonly services: SharedIndexInformer<Service>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly recorder: EventRecorder;

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly opts: ServiceLBOptions = {}) {
    super('service-lb-controller', informers);
    this.services = informers.forResource<Service>(resources.services);
    this.nodes = informers.forResource<Node>(resources.nodes);
    this.recorder = createEventRecorder(client, { component: 'service-controller' });
    this.services.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, s) => this.enqueue(s), onDelete: this.enqueue });
    // Node addresses and readiness decide the default provider's ingress.
    const all = (): void => { for (const s of this.services.lister.list()) if (isLB(s)) this.enqueue(s); };
    this.nodes.addEventHandler({ onAdd: all, onUpdate: (o, n) => { if (!same(this.nodeIPs([o]), this.nodeIPs([n]))) all(); }, onDelete: all });
  }

  /** InternalIPs of Ready nodes, sorted. */
  private nodeIPs(nodes = this.nodes.lister.list()): string[] {
    return nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address)).sort();
  }

  /** The pool address of `svc`: the one it holds, its requested one if free, else the lowest free. */
  private poolAddress(svc: Service): string | undefined {
    const { base, prefix } = parseCIDR(this.opts.pool!);
    const size = 2 ** (32 - prefix);
    const inPool = (ip: string): boolean => { const n = ipToInt(ip); return n >= base && n < base + size; };
    const used = new Set(this.services.lister.list().filter((s) => s !== svc && isLB(s)).flatMap(ingressIPs));
    const held = ingressIPs(svc).find((ip) => inPool(ip) && !used.has(ip));
    if (held) return held;
    const wanted = svc.spec?.loadBalancerIP;
    if (wanted && inPool(wanted) && !used.has(wanted)) return wanted;
    for (let i = size > 2 ? 1 : 0; i < size - (size > 2 ? 1 : 0); i++) if (!used.has(intToIp(base + i))) return intToIp(base + i);
    return undefined;
  }

  /** Another LoadBalancer Service (created earlier) already using one of `svc`'s ports on the node addresses. */
  private portConflict(svc: Service): string | undefined {
    const mine = new Set((svc.spec?.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${p.port}`));
    const older = this.services.lister.list().filter((s) => s !== svc && isLB(s) && (s.status?.loadBalancer?.ingress?.length ?? 0) > 0
      && (s.metadata.creationTimestamp ?? '') <= (svc.metadata.creationTimestamp ?? ''));
    for (const s of older) for (const p of s.spec?.ports ?? []) if (mine.has(`${p.protocol ?? 'TCP'}/${p.port}`)) return `${s.metadata.namespace}/${s.metadata.name} (${p.protocol ?? 'TCP'} ${p.port})`;
    return undefined;
  }

  protected async sync(key: string): Promise<void> {
    const svc = this.services.lister.get(key);
    if (!svc) return;
    const rc = this.client.resource<Service>(resources.services);
    const hasFinalizer = svc.metadata.finalizers?.includes(LB_CLEANUP_FINALIZER) ?? false;
    if (!isLB(svc) || svc.metadata.deletionTimestamp) {
      if (!hasFinalizer) return;
      this.recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      if (svc.status?.loadBalancer?.ingress?.length && !svc.metadata.deletionTimestamp) {
        await rc.patch(svc.metadata.name!, { status: { loadBalancer: { ingress: null } } }, 'application/merge-patch+json', { namespace: svc.metadata.namespace, subresource: 'status' });
      }
      await this.setFinalizers(svc, (svc.metadata.finalizers ?? []).filter((f) => f !== LB_CLEANUP_FINALIZER));
      this.recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      return;
    }
    if (!hasFinalizer) { await this.setFinalizers(svc, [...(svc.metadata.finalizers ?? []), LB_CLEANUP_FINALIZER]); return; }
    let ips: string[];
    if (this.opts.pool) {
      const ip = this.poolAddress(svc);
      if (!ip) { this.recorder.event(svc, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": no available IPs in pool ${this.opts.pool}`); return; }
      ips = [ip];
    } else {
      const conflict = this.portConflict(svc);
      if (conflict) {
        if (!svc.status?.loadBalancer?.ingress?.length) { this.recorder.event(svc, 'Warning', 'PortInUse', `Port in use on the node addresses by ${conflict}; the load balancer stays pending`); return; }
      }
      ips = this.nodeIPs();
    }
    const ingress = ips.map((ip) => ({ ip, ipMode: 'VIP' }));
    if (same(svc.status?.loadBalancer?.ingress, ingress)) return;
    this.recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    await rc.patch(svc.metadata.name!, { status: { loadBalancer: { ingress: ingress.length ? ingress : null } } }, 'application/merge-patch+json', { namespace: svc.metadata.namespace, subresource: 'status' });
    this.recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }

  private async setFinalizers(svc: Service, finalizers: string[]): Promise<void> {
    await this.client.resource<Service>(resources.services).patch(svc.metadata.name!, { metadata: { finalizers, resourceVersion: svc.metadata.resourceVersion } }, 'application/merge-patch+json', { namespace: svc.metadata.namespace })
      .catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
