/**
 * GET pods/{name}/log (upstream pkg/registry/core/pod/rest/log.go), a connecter: finds
 * the pod's node and proxies the request to that kubelet's
 * `/containerLogs/{ns}/{pod}/{container}` over HTTPS with the apiserver's kubelet-client
 * certificate, streaming the answer. Also the shared lookup of a pod's kubelet.
 */
import https from 'node:https';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { Node } from '../../../api/core/v1/types.js';
import { badRequest, internalError, StatusError } from '../../../machinery/errors.js';
import type { ConnectRequest, RequestContext, RestStorage } from '../rest.js';

/** The apiserver's client certificate for kubelet APIs, and the nodes storage to find kubelets with. */
export interface KubeletClientConfig { certPem: string; keyPem: string; caPem: string; nodes?: RestStorage }

const PASS = ['follow', 'previous', 'tailLines', 'timestamps', 'sinceSeconds', 'sinceTime', 'limitBytes'];

/** The kubelet serving a pod: its node's InternalIP and kubelet port. Throws 400 when the pod is not bound. */
export async function podKubelet(pods: RestStorage, ctx: RequestContext, name: string, kc: KubeletClientConfig): Promise<{ pod: Pod; ip: string; port: number; nodeName: string }> {
  const pod = (await pods.get!(ctx, name)) as Pod;
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const node = (await kc.nodes!.get!({ ...ctx, namespace: '' }, nodeName)) as Node;
  const ip = (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!ip || !port) throw internalError(new Error(`node ${nodeName} has no kubelet endpoint`));
  return { pod, ip, port, nodeName };
}

/** The container a request means: `?container=`, the annotated default, or the only one. Throws 400. */
export function pickContainer(pod: Pod, q: URLSearchParams): string {
  const name = pod.metadata.name;
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const all = [...(pod.spec?.initContainers ?? []).map((c) => c.name), ...containers, ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name)];
  let container = q.get('container') ?? '';
  if (!container) {
    const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (annotated && all.includes(annotated)) container = annotated;
    else if (containers.length === 1) container = containers[0];
    else throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** Both of the above. */
export async function kubeletTarget(pods: RestStorage, ctx: RequestContext, name: string, q: URLSearchParams, kc: KubeletClientConfig): Promise<{ container: string; ip: string; port: number; nodeName: string }> {
  const t = await podKubelet(pods, ctx, name, kc);
  return { ...t, container: pickContainer(t.pod, q) };
}

/** The `pods/log` connecter over the pods storage. */
export function podLogStorage(pods: RestStorage, kc: KubeletClientConfig): RestStorage {
  return {
    info: pods.info, subresource: 'log', connectMethods: ['GET'],
    connect: (ctx, name, { req, res, query }) => proxyPodLogs(req, res!, pods, ctx, name, query, kc),
  };
}

async function proxyPodLogs(req: ConnectRequest['req'], res: NonNullable<ConnectRequest['res']>, pods: RestStorage, ctx: RequestContext, name: string, q: URLSearchParams, kc: KubeletClientConfig): Promise<void> {
  const { container, ip, port, nodeName } = await kubeletTarget(pods, ctx, name, q, kc);
  const params = new URLSearchParams();
  for (const k of PASS) if (q.has(k)) params.set(k, q.get(k)!);
  const path = `/containerLogs/${encodeURIComponent(ctx.namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${params}`;
  await new Promise<void>((resolve) => {
    const up = https.request({ host: ip, port, path, method: 'GET', cert: kc.certPem, key: kc.keyPem, ca: kc.caPem, servername: nodeName, checkServerIdentity: () => undefined }, (ur) => {
      res.writeHead(ur.statusCode ?? 500, { 'Content-Type': ur.headers['content-type'] ?? 'text/plain', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      ur.on('data', (c) => res.write(c));
      ur.on('end', () => { res.end(); resolve(); });
      ur.on('error', () => { res.end(); resolve(); });
    });
    up.on('error', (err) => {
      const se = err instanceof StatusError ? err : internalError(new Error(`Get "https://${ip}:${port}${path}": ${err.message}`));
      if (!res.headersSent) res.writeHead(se.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(se.status));
      resolve();
    });
    req.on('close', () => up.destroy());
    res.on('close', () => up.destroy());
    up.end();
  });
}
