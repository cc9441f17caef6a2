/**
 * Serving aggregated discovery (KEP-3352; upstream k8s.io/apiserver/pkg/endpoints/
 * discovery/aggregated/handler.go and negotiation.go): `/api` and `/apis` answer the
 * apidiscovery.k8s.io APIGroupDiscoveryList when the Accept header asks for
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` (or v2beta1,
 * still served by 1.32), with that media type as Content-Type, `Vary: Accept` and an
 * ETag (304 on a matching If-None-Match); otherwise the legacy APIVersions/APIGroupList.
 * The protobuf form is not offered, so kubectl falls back to its JSON alternative.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveryDocs } from './discovery.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

/**
 * The apidiscovery version the client asks for, or undefined for the legacy document:
 * the first Accept entry we can serve wins (application/json or `*\/*` without `as` is
 * the legacy form; protobuf is skipped).
 */
export function aggregatedVersionOf(accept: string | undefined): AggregatedVersion | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const [type, ...paramList] = part.split(';').map((p) => p.trim());
    const params = Object.fromEntries(paramList.map((p) => p.split('=').map((x) => x.trim())));
    const mt = type.toLowerCase();
    if (mt !== 'application/json' && mt !== '*/*' && mt !== 'application/*') continue;
    if (!params.as && !params.g) return undefined;
    if (params.g === 'apidiscovery.k8s.io' && params.as === 'APIGroupDiscoveryList' && (params.v === 'v2' || params.v === 'v2beta1')) return params.v;
  }
  return undefined;
}

const cache = new WeakMap<object, Map<string, { body: string; etag: string }>>();

/**
 * Answers `/api` (legacy = true) or `/apis` with the aggregated document when the request
 * asks for it. Returns false when it does not (the caller writes the legacy document).
 */
export function serveAggregatedDiscovery(req: IncomingMessage, res: ServerResponse, docs: DiscoveryDocs, legacy: boolean): boolean {
  const version = aggregatedVersionOf(req.headers.accept);
  if (!version) return false;
  let byKey = cache.get(docs);
  if (!byKey) { byKey = new Map(); cache.set(docs, byKey); }
  const key = `${legacy}/${version}`;
  let entry = byKey.get(key);
  if (!entry) {
    const body = JSON.stringify(docs.aggregated(legacy, version));
    entry = { body, etag: `"${createHash('sha512').update(body).digest('hex')}"` };
    byKey.set(key, entry);
  }
  const headers = {
    'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
    Vary: 'Accept', ETag: entry.etag, 'Cache-Control': 'public',
  };
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').map((t) => t.trim()).includes(entry.etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(entry.body) });
  res.end(entry.body);
  return true;
}
