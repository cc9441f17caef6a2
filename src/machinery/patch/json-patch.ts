/** RFC 6902 JSON Patch (via fast-json-patch). Throws BadRequest-worthy Errors with the failing operation. */
import fastJsonPatch from 'fast-json-patch';
import { badRequest } from '../errors.js';

const { applyPatch, validate } = fastJsonPatch;

/** Applies `ops` to a deep copy of `doc`. Throws StatusError 400 (malformed) or 422-ish failures as 400. */
export function applyJsonPatch<T>(doc: T, ops: unknown): T {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const copy = structuredClone(doc);
  const err = validate(ops as never, copy as never);
  if (err) throw badRequest(`the server rejected our request due to an error in our request: ${err.message.split('\n')[0]}`);
  try {
    return applyPatch(copy as never, ops as never, false, true).newDocument as T;
  } catch (e) {
    throw badRequest(`the server rejected our request due to an error in our request: ${(e as Error).message.split('\n')[0]}`);
  }
}
