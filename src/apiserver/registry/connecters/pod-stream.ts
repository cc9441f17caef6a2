/**
 * `pods/{name}/exec`, `attach` and `portforward` (upstream pkg/registry/core/pod/rest/subresources.go),
 * connecters for Upgrade requests (WebSocket, as kubectl 1.32 sends them; SPDY for
 * port-forward): resolved to the pod's container and kubelet, and forwarded byte for
 * byte to the kubelet's `/exec|attach/{ns}/{pod}/{container}` or `/portForward/{ns}/{pod}`
 * over TLS with the apiserver's kubelet-client certificate; the kubelet forwards it to
 * the runtime's streaming server.
 */
import tls from 'node:tls';
import { badRequest, internalError } from '../../../machinery/errors.js';
import { forwardUpgrade, rejectUpgrade } from '../../../machinery/http-upgrade.js';
import type { RestStorage } from '../rest.js';
import { kubeletTarget, podKubelet, type KubeletClientConfig } from './pod-log.js';

export type PodStreamSubresource = 'exec' | 'attach' | 'portforward';

/** The connecter of one streaming pod subresource over the pods storage. */
export function podStreamStorage(pods: RestStorage, sub: PodStreamSubresource, kc: KubeletClientConfig): RestStorage {
  return {
    info: pods.info, subresource: sub, connectMethods: ['GET', 'POST'],
    async connect(ctx, name, { req, query, upgrade }) {
      if (!upgrade) throw badRequest(`Upgrade request required`);
      const q = new URLSearchParams(query);
      let path: string;
      let t: { ip: string; port: number; nodeName: string };
      if (sub === 'portforward') {
        // kubectl tries SPDY tunnelled over WebSocket first; refusing that upgrade makes it
        // fall back to plain SPDY, which the runtime's streaming server speaks.
        if (/websocket/i.test(String(req.headers.upgrade ?? ''))) throw badRequest('port forwarding over WebSocket is not supported; use SPDY');
        t = await podKubelet(pods, ctx, name, kc);
        path = `/portForward/${encodeURIComponent(ctx.namespace)}/${encodeURIComponent(name)}?${q}`;
      } else {
        const target = await kubeletTarget(pods, ctx, name, query, kc);
        t = target;
        q.delete('container');
        path = `/${sub}/${encodeURIComponent(ctx.namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(target.container)}?${q}`;
      }
      const { socket, head } = upgrade;
      const up = tls.connect({ host: t.ip, port: t.port, cert: kc.certPem, key: kc.keyPem, ca: kc.caPem, servername: t.nodeName, checkServerIdentity: () => undefined },
        () => forwardUpgrade(req, socket, head, up, path, `${t.ip}:${t.port}`));
      up.on('error', (err) => { const se = internalError(err); rejectUpgrade(socket, se.code, se.status); });
    },
  };
}
