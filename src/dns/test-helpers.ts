/**
 * Fixtures shared by the DNS tests and the bench: Service / EndpointSlice objects in
 * the shapes the informers deliver, and query encoding/decoding via dns-packet.
 */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Service } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/endpoint-slice.js';
import { SERVICE_NAME_LABEL } from './records.js';

/** A Service: `spec` is merged over `{type: 'ClusterIP'}`. */
export function service(ns: string, name: string, spec: Record<string, unknown>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ClusterIP', ...spec } } as Service;
}

/** An EndpointSlice of Service `svc` with `endpoints` ({addresses, hostname?, conditions?}) and `ports` ({name, port, protocol?}). */
export function endpointSlice(ns: string, name: string, svc: string, addressType: 'IPv4' | 'IPv6', endpoints: unknown[], ports: unknown[] = []): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: ns, name, labels: { [SERVICE_NAME_LABEL]: svc } }, addressType, endpoints, ports };
}

/** A query message for `name`/`type` with message id `id` (RD set, like stub resolvers); `edns` adds an OPT record. */
export function query(name: string, type: string, id = 4242, edns = false): Buffer {
  return dnsPacket.encode({
    type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: 0, options: [] } as never] : [],
  });
}

/** Decoded reply with the rcode string dns-packet adds. */
export type Reply = dnsPacket.DecodedPacket & { rcode: string };
export const decode = (b: Buffer): Reply => dnsPacket.decode(b) as Reply;

/** One UDP query to 127.0.0.1:port; resolves to the decoded reply or rejects after `ms`. */
export function udpAsk(port: number, msg: Buffer, ms = 2000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => { s.close(); reject(new Error('udp timeout')); }, ms);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(decode(m)); });
    s.send(msg, port, '127.0.0.1');
  });
}

