/**
 * Response content negotiation (upstream k8s.io/apiserver/pkg/endpoints/handlers/
 * negotiation): the first media type of the Accept header the server can produce wins.
 * JSON (`application/json`, `*\/*`, `application/*`, no Accept) and YAML
 * (`application/yaml`) as is, or converted with `;as=Table`, `;as=PartialObjectMetadata`
 * or `;as=PartialObjectMetadataList` (with `g=meta.k8s.io;v=v1`). Protobuf
 * (`application/vnd.kubernetes.protobuf`) for kinds that have a protobuf message, also
 * as PartialObjectMetadata(List) but never as Table (upstream
 * RequestScope.AllowsMediaTypeTransform: Table only as json/yaml); a kind without a
 * message skips it (except as PartialObjectMetadata(List), whose messages are meta/v1's),
 * so a client that also accepts JSON gets JSON. Nothing acceptable →
 * 406 NotAcceptable.
 */
import YAML from 'yaml';
import { encodeResponse, PROTOBUF, type ResponseMessageResolver } from './protobuf-response.js';
import type { ServerResponse } from 'node:http';
import type { KubeList, KubeObject } from '../../api/object.js';
import { StatusError } from '../../machinery/errors.js';
import { jsonBuffer, listJsonBuffers } from './serialize.js';

export type Conversion = 'none' | 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';
export interface MediaChoice { encoding: 'json' | 'yaml' | 'protobuf'; as: Conversion }

const notAcceptable = (): StatusError => new StatusError({
  code: 406, reason: 'NotAcceptable',
  message: 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
});

/**
 * Picks the response form for `accept`. `list` says whether the answer is a list (a
 * PartialObjectMetadataList may only be asked of lists, PartialObjectMetadata of single
 * objects and watch events). Throws 406 when nothing offered can be produced.
 */
export function negotiate(accept: string | undefined, list: boolean, protobufOk = false): MediaChoice {
  if (!accept || !accept.trim()) return { encoding: 'json', as: 'none' };
  for (const part of accept.split(',')) {
    const [type, ...paramList] = part.split(';').map((p) => p.trim());
    const params = Object.fromEntries(paramList.map((p) => p.split('=').map((x) => x.trim())));
    const mt = type.toLowerCase();
    // PartialObjectMetadata(List) has meta/v1 messages, so any kind (custom resources too) can be answered so in protobuf.
    const partial = params.g === 'meta.k8s.io' && (params.as === 'PartialObjectMetadata' || params.as === 'PartialObjectMetadataList');
    const encoding = mt === 'application/yaml' ? 'yaml' : mt === 'application/json' || mt === '*/*' || mt === 'application/*' ? 'json'
      : mt === PROTOBUF && (protobufOk || partial) ? 'protobuf' : undefined;
    if (!encoding) continue;
    if (encoding === 'protobuf' && params.as === 'Table') continue;
    if (!params.as) return { encoding, as: 'none' };
    if (params.g !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(params.v)) continue;
    if (params.as === 'Table') return { encoding, as: 'Table' };
    if (params.as === 'PartialObjectMetadata' && !list) return { encoding, as: 'PartialObjectMetadata' };
    if (params.as === 'PartialObjectMetadataList' && list) return { encoding, as: 'PartialObjectMetadataList' };
  }
  throw notAcceptable();
}

/** meta.k8s.io/v1 PartialObjectMetadata of an object. */
export const partialObject = (obj: KubeObject): KubeObject => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });

/** meta.k8s.io/v1 PartialObjectMetadataList of a list. */
export const partialList = (list: KubeList): KubeList => ({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: list.metadata, items: list.items.map(partialObject) });

/**
 * Writes `body` in the chosen encoding with `code`. Protobuf uses `messageOf` for the
 * object's message; an object without one (or one that does not encode) goes out as JSON.
 */
export function writeEncoded(res: ServerResponse, code: number, body: unknown, encoding: MediaChoice['encoding'], messageOf?: ResponseMessageResolver): void {
  if (res.headersSent) { res.end(); return; }
  if (encoding === 'protobuf' && messageOf) {
    const data = encodeResponse(body as KubeObject, messageOf);
    if (data) {
      res.writeHead(code, { 'Content-Type': PROTOBUF, 'Content-Length': data.length, 'Cache-Control': 'no-cache, private' });
      res.end(data);
      return;
    }
  }
  if (encoding === 'protobuf') encoding = 'json';
  if (encoding === 'json' && Array.isArray((body as KubeList)?.items)) {
    const { parts, length } = listJsonBuffers(body as KubeList);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': length, 'Cache-Control': 'no-cache, private' });
    // Corked: the parts leave in one vectored write instead of one per item.
    res.cork();
    for (const b of parts) res.write(b);
    res.uncork();
    res.end();
    return;
  }
  const data = encoding === 'yaml' ? Buffer.from(YAML.stringify(body)) : jsonBuffer(body);
  res.writeHead(code, { 'Content-Type': encoding === 'yaml' ? 'application/yaml' : 'application/json', 'Content-Length': data.length, 'Cache-Control': 'no-cache, private' });
  res.end(data);
}
