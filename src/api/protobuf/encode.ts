/**
 * Kubernetes protobuf encoding of responses — the inverse of codec.ts (upstream
 * k8s.io/apimachinery/pkg/runtime/serializer/protobuf: Serializer.Encode and
 * RawSerializer.Encode). An object in its JSON form becomes its generated.proto
 * message: Quantity string → {string}, IntOrString → {type, intVal|strVal}, RFC 3339
 * Time/MicroTime → {seconds, nanos}, RawExtension/FieldsV1 → embedded JSON bytes,
 * base64 → bytes, maps → repeated key/value entries. JSON fields the message does not
 * have are dropped (protobuf has no place for them). The result is wrapped in the
 * `k8s\0` magic + runtime.Unknown{typeMeta, raw} envelope; watch events use the raw
 * (un-wrapped) WatchEvent in a 4-byte big-endian length frame.
 */
import protobuf from 'protobufjs';
import { getRoot, MAGIC } from './codec.js';
import { jsonNameOf } from './json-names.js';
import { INLINE_FIELDS } from '../structural/structural-type.js';

/** Thrown when a JSON value does not fit the message's field (a bug or an unencodable object). */
export class ProtobufEncodeError extends Error {}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** The JSONSchemaProps message of a JSONSchemaPropsOr* wrapper (its `schema` field). */
function schemaOf(wrapper: protobuf.Type): protobuf.Type {
  const f = wrapper.fields.schema;
  f.resolve();
  return f.resolvedType as protobuf.Type;
}

/** Seconds and nanos of an RFC 3339 time (upstream meta/v1 time_proto.go / micro_time_proto.go). */
function timestamp(v: unknown): { seconds: number; nanos: number } | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new ProtobufEncodeError(`invalid time ${JSON.stringify(v)}`);
  const frac = /\.(\d+)/.exec(v.replace(/(Z|[+-]\d\d:\d\d)$/, ''))?.[1] ?? '';
  const nanos = frac ? Number(frac.padEnd(9, '0').slice(0, 9)) : 0;
  return { seconds: Math.floor(ms / 1000), nanos };
}

/** Go's time.ParseDuration for the `1h2m3.5s` strings meta/v1 Duration uses in JSON; nanoseconds. */
function goDuration(v: unknown): number {
  if (typeof v !== 'string') return Number(v ?? 0);
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  const sign = v.startsWith('-') ? -1 : 1;
  for (const [, n, u] of v.replace(/^[-+]/, '').matchAll(/([\d.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * units[u];
  return sign * Math.round(total);
}

/** The field of `type` whose JSON name is `jsonName` (json-names.ts maps the few that differ). */
const fieldsByJsonName = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();
function fieldByJson(type: protobuf.Type, jsonName: string): protobuf.Field | undefined {
  let m = fieldsByJsonName.get(type);
  if (!m) {
    m = new Map(type.fieldsArray.filter((f) => !isInline(f)).map((f) => [jsonNameOf(type.fullName, f.name), f]));
    fieldsByJsonName.set(type, m);
  }
  return m.get(jsonName);
}

/** A Go struct embedded with `json:",inline"` (structural-type.ts): its JSON fields are the parent's. */
function isInline(f: protobuf.Field): boolean {
  if (!INLINE_FIELDS.has(f.name) || f.repeated) return false;
  f.resolve();
  return f.resolvedType instanceof protobuf.Type;
}

const isMapEntry = (t: protobuf.Type): boolean => t.name.endsWith('Entry') && t.fieldsArray.length === 2 && !!t.fields.key && !!t.fields.value;

/** A scalar JSON value as protobufjs' fromObject takes it (bytes from base64). */
function scalar(field: protobuf.Field, v: unknown): unknown {
  if (field.type === 'bytes') return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
  if (field.type === 'string') return typeof v === 'string' ? v : String(v);
  if (field.type === 'bool') return Boolean(v);
  return typeof v === 'string' ? Number(v) : v;
}

/** Converts the JSON form `v` of message `type` into the plain object protobufjs' fromObject reads. */
function fromJson(v: unknown, type: protobuf.Type): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  const full = type.fullName.replace(/^\./, '');
  switch (full) {
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
    case 'k8s.io.apimachinery.pkg.api.resource.QuantityValue': return { string: String(v) };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': return typeof v === 'number' ? { type: 0, intVal: v } : { type: 1, strVal: String(v) };
    case `${META}.Time`: case `${META}.MicroTime`: return timestamp(v);
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': return { raw: Buffer.from(JSON.stringify(v)) };
    case `${META}.FieldsV1`: return { Raw: Buffer.from(JSON.stringify(v)) };
    case `${META}.Duration`: return { duration: goDuration(v) };
    // apiextensions/v1's custom JSON forms (types_jsonschema.go UnmarshalJSON).
    case `${APIEXT}.JSON`: return { raw: Buffer.from(JSON.stringify(v)) };
    case `${APIEXT}.JSONSchemaPropsOrBool`:
      return typeof v === 'boolean' ? { allows: v } : { allows: true, schema: fromJson(v, schemaOf(type)) ?? {} };
    case `${APIEXT}.JSONSchemaPropsOrArray`:
      return Array.isArray(v) ? { jSONSchemas: v.map((x) => fromJson(x, schemaOf(type)) ?? {}) } : { schema: fromJson(v, schemaOf(type)) ?? {} };
    case `${APIEXT}.JSONSchemaPropsOrStringArray`:
      return Array.isArray(v) ? { property: v.map(String) } : { schema: fromJson(v, schemaOf(type)) ?? {} };
    default: break;
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new ProtobufEncodeError(`${full}: expected an object, got ${JSON.stringify(v)?.slice(0, 60)}`);
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    if (!isInline(f)) continue;
    const inner = fromJson(v, f.resolvedType as protobuf.Type);
    if (inner && Object.keys(inner).length) out[f.name] = inner;
  }
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    const field = fieldByJson(type, key);
    if (!field) continue;
    field.resolve();
    const rt = field.resolvedType;
    const conv = (x: unknown): unknown => (rt instanceof protobuf.Type ? fromJson(x, rt) ?? {} : scalar(field, x));
    if (field.repeated && rt instanceof protobuf.Type && isMapEntry(rt)) {
      if (typeof value !== 'object' || Array.isArray(value)) throw new ProtobufEncodeError(`${full}.${key}: expected a map`);
      const vf = rt.fields.value;
      vf.resolve();
      const vt = vf.resolvedType;
      out[field.name] = Object.entries(value as Record<string, unknown>).map(([k, x]) => ({ key: k, value: vt instanceof protobuf.Type ? fromJson(x, vt) ?? {} : scalar(vf, x ?? '') }));
    } else if (field.repeated) {
      if (!Array.isArray(value)) throw new ProtobufEncodeError(`${full}.${key}: expected a list`);
      out[field.name] = value.map(conv);
    } else out[field.name] = conv(value);
  }
  return out;
}

/**
 * Encodes `obj` (JSON form, without apiVersion/kind) as message `message`'s bytes.
 * Throws ProtobufEncodeError when a value does not fit or the message is unknown.
 */
export function encodeMessage(obj: unknown, message: string): Uint8Array {
  let type: protobuf.Type;
  try { type = getRoot().lookupType(message); } catch { throw new ProtobufEncodeError(`no protobuf message ${message}`); }
  const plain = fromJson(obj, type) ?? {};
  const err = type.verify(plain);
  const msg = type.fromObject(plain);
  if (err && !/Long|integer/.test(err)) throw new ProtobufEncodeError(`${message}: ${err}`);
  return type.encode(msg).finish();
}

/** Whether the descriptors hold `message` (kinds without one are answered as JSON). */
export function hasProtobufMessage(message: string | undefined): message is string {
  if (!message) return false;
  let known = knownMessages.get(message);
  if (known === undefined) {
    try { getRoot().lookupType(message); known = true; } catch { known = false; }
    knownMessages.set(message, known);
  }
  return known;
}
/** hasProtobufMessage's answers (the schema root never changes): a lookup walks protobufjs's namespaces. */
const knownMessages = new Map<string, boolean>();

/**
 * Encodes an API object as upstream's protobuf Serializer.Encode does: the magic
 * `k8s\0` then runtime.Unknown{typeMeta{apiVersion, kind}, raw, contentEncoding "",
 * contentType ""}, `raw` being the object encoded with `message`.
 */
export function encodeProtobufObject(obj: { apiVersion?: string; kind?: string } & Record<string, unknown>, message: string): Buffer {
  const { apiVersion = '', kind = '', ...rest } = obj;
  const raw = encodeMessage(rest, message);
  const Unknown = getRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const env = Unknown.encode(Unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, Buffer.from(env)]);
}

/**
 * One frame of a protobuf watch stream (upstream watch.go with the protobuf
 * StreamSerializer: RawSerializer + LengthDelimitedFramer): a 4-byte big-endian length,
 * then meta/v1 WatchEvent{type, object: RawExtension{raw: encoded object envelope}}
 * without magic or Unknown wrapper.
 */
export function encodeWatchEventFrame(type: string, encodedObject: Buffer): Buffer {
  const WatchEvent = getRoot().lookupType(`${META}.WatchEvent`);
  const body = WatchEvent.encode(WatchEvent.fromObject({ type, object: { raw: encodedObject } })).finish();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, Buffer.from(body)]);
}

/** Reads the frames of a protobuf watch stream back into {type, raw object envelope}s; the rest that is not a whole frame yet is returned too. */
export function decodeWatchEventFrames(buf: Buffer): { events: Array<{ type: string; object: Buffer }>; rest: Buffer } {
  const WatchEvent = getRoot().lookupType(`${META}.WatchEvent`);
  const events: Array<{ type: string; object: Buffer }> = [];
  let off = 0;
  while (buf.length - off >= 4) {
    const n = buf.readUInt32BE(off);
    if (buf.length - off - 4 < n) break;
    const ev = WatchEvent.decode(buf.subarray(off + 4, off + 4 + n)) as unknown as { type?: string; object?: { raw?: Uint8Array } };
    events.push({ type: ev.type ?? '', object: Buffer.from(ev.object?.raw ?? []) });
    off += 4 + n;
  }
  return { events, rest: buf.subarray(off) };
}
