/**
 * Node IPAM (upstream pkg/controller/nodeipam, range allocator): gives each Node
 * without `spec.podCIDR` the next free /24 of the cluster CIDR (spec.podCIDR and
 * spec.podCIDRs), remembering the ones existing nodes hold.
 */
import type { Node } from '../../api/core/v1/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { intToIp, parseCIDR } from '../../machinery/cidr.js';
import { QueueController } from '../controller.js';

export class NodeIpamController extends QueueController {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly range: { base: number; size: number };
  constructor(private readonly client: Client, informers: SharedInformerFactory, clusterCIDR: string, private readonly nodeMaskSize = 24) {
    super('nodeipam', informers);
    this.range = parseCIDR(clusterCIDR);
    this.nodes = informers.forResource<Node>(resources.nodes);
    this.nodes.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }
  protected async sync(name: string): Promise<void> {
    const node = this.nodes.lister.get(name);
    if (!node || node.spec?.podCIDR) return;
    const used = new Set(this.nodes.lister.list().map((n) => n.spec?.podCIDR).filter(Boolean));
    const step = 2 ** (32 - this.nodeMaskSize);
    for (let off = 0; off < this.range.size; off += step) {
      const cidr = `${intToIp(this.range.base + off)}/${this.nodeMaskSize}`;
      if (used.has(cidr)) continue;
      await this.client.resource(resources.nodes).patch(name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'application/merge-patch+json').catch((e) => { if (!isNotFound(e)) throw e; });
      return;
    }
    throw new Error(`no pod CIDR left in the cluster CIDR for node ${name}`);
  }
}
