/**
 * Request bodies: read with a size limit (3 MiB like upstream's default → 413) and
 * decoded as JSON, YAML or Kubernetes protobuf by Content-Type; malformed input → 400.
 */
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../../machinery/errors.js';
import { decodeProtobufObject, isProtobufContentType, type ProtobufMessageResolver } from '../../api/protobuf/codec.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the raw body. Throws 413 past the limit. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit && !failed) { failed = true; reject(tooLarge('the request body is too large: limit is 3145728 bytes')); req.resume(); return; }
      if (!failed) chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) reject(e); });
  });
}

/**
 * Decodes a body by content type (JSON for *json*, YAML for *yaml*, Kubernetes protobuf
 * with the message `messageOf` names). Throws 400 on malformed input, 415 on an
 * unsupported type.
 */
export function decodeBody(raw: Buffer, contentType: string | undefined, messageOf: ProtobufMessageResolver = () => undefined): unknown {
  const ct = (contentType ?? 'application/json').toLowerCase();
  if (isProtobufContentType(ct)) {
    try { return decodeProtobufObject(raw, messageOf); } catch (e) { throw badRequest(`error decoding protobuf body: ${(e as Error).message}`); }
  }
  const text = raw.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  if (ct.includes('protobuf') || ct.includes('cbor')) throw unsupportedMediaType(ct.split(';')[0]);
  try {
    if (ct.includes('yaml')) return YAML.parse(text);
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw badRequest(ct.includes('yaml') ? `error converting YAML to JSON: ${msg}` : `couldn't get version/kind; json parse error: ${msg}`);
  }
}
