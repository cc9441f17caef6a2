/**
 * `pods/{name}/exec`, `attach` and `portforward` (upstream pkg/registry/core/pod/rest/subresources.go): an Upgrade
 * request (WebSocket, as kubectl 1.32 sends it) is authenticated, resolved to the pod's
 * container and kubelet, and forwarded byte for byte to the kubelet's
 * `/exec/{ns}/{pod}/{container}` over TLS with the apiserver's kubelet-client
 * certificate; the kubelet forwards it to the runtime's streaming server.
 */
import tls from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, badRequest, internalError, notFoundPath, unauthorized } from '../../machinery/errors.js';
import { forwardUpgrade, rejectUpgrade } from '../../machinery/http-upgrade.js';
import type { Authenticator } from '../authn/authenticator.js';
import type { Registry } from '../registry/rest.js';
import { parseRequestInfo } from './request-info.js';
import { kubeletTarget, podKubelet, type KubeletClientConfig } from './pod-logs.js';

export function handlePodExecUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: { registry: Registry; authenticators: Authenticator[]; kubeletClient?: KubeletClientConfig }): void {
  void (async () => {
    const user = opts.authenticators.map((a) => a.authenticate(req)).find(Boolean);
    if (!user) throw unauthorized();
    const url = new URL(req.url ?? '/', 'https://apiserver');
    const info = parseRequestInfo(url.pathname);
    const sub = info?.subresource ?? '';
    if (!info || info.resource !== 'pods' || info.group !== '' || !['exec', 'attach', 'portforward'].includes(sub) || !info.name) throw notFoundPath();
    const pods = opts.registry.lookup('', 'v1', 'pods');
    if (!pods || !opts.kubeletClient) throw notFoundPath();
    const ctx = { user, namespace: info.namespace };
    const q = new URLSearchParams(url.searchParams);
    let path: string;
    let t: { ip: string; port: number; nodeName: string };
    if (sub === 'portforward') {
      // kubectl tries SPDY tunnelled over WebSocket first; refusing that upgrade makes it
      // fall back to plain SPDY, which the runtime's streaming server speaks.
      if (/websocket/i.test(String(req.headers.upgrade ?? ''))) throw badRequest('port forwarding over WebSocket is not supported; use SPDY');
      t = await podKubelet(pods, ctx, info.name, opts.kubeletClient);
      path = `/portForward/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}?${q}`;
    } else {
      const target = await kubeletTarget(pods, ctx, info.name, url.searchParams, opts.kubeletClient);
      t = target;
      q.delete('container');
      path = `/${sub}/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(target.container)}?${q}`;
    }
    const kc = opts.kubeletClient;
    const upstream = tls.connect({ host: t.ip, port: t.port, cert: kc.certPem, key: kc.keyPem, ca: kc.caPem, servername: t.nodeName, checkServerIdentity: () => undefined },
      () => forwardUpgrade(req, socket, head, upstream, path, `${t.ip}:${t.port}`));
    upstream.on('error', (err) => { const se = internalError(err); rejectUpgrade(socket, se.code, se.status); });
  })().catch((err) => {
    const se = err instanceof StatusError ? err : internalError(err);
    rejectUpgrade(socket, se.code, se.status);
  });
}
