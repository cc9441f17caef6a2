/**
 * Strict check of a JSON request body against a Kubernetes API type, reproducing what
 * upstream's decoder (sigs.k8s.io/json with case-sensitive, strict options, a fork of Go's
 * encoding/json) reports:
 *   - syntax errors in Go's scanner wording (nesting beyond maxDepth: "exceeded max depth");
 *   - the decode error Go returns: the first UnmarshalTypeError
 *     (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
 *     at the root `... into Go value of type v1.Deployment`), unless a custom UnmarshalJSON
 *     (Quantity, IntOrString, Time, Duration) fails first, which aborts decoding at once;
 *   - strict errors `unknown field "spec.template.spec.containers[0].bogus"` and
 *     `duplicate field "spec.replicas"` (full path, `[i]` for list items, map keys as
 *     `.key`; deduplicated, at most 100). Unknown fields are not looked for inside map values
 *     of scalar type or inside RawExtension/any JSON; values of unknown fields are skipped.
 */
import { scanJson, toValue, type JsonNode } from './json-scan.js';
import { structuralType, type StructuralType } from './structural-type.js';
import { base64Error, durationError, quantityError } from './go-literals.js';

export interface CheckOptions {
  /** Maximum nesting of objects/arrays (Go's scanner allows 10000). */
  maxDepth?: number;
  /**
   * Put the Go names of embedded structs into type-error paths (`Volume.spec.volumes.VolumeSource.hostPath`),
   * as Go 1.24's encoding/json does. Default false: the Go 1.23-era decoder vendored by Kubernetes 1.32.
   */
  embeddedFieldNames?: boolean;
}

export interface BodyCheck {
  /** The parsed body (last duplicate key wins), absent on a syntax error. */
  value?: unknown;
  /** Go scanner wording, e.g. `invalid character 'x' looking for beginning of value`. */
  syntaxError?: string;
  /** The decode error Go would return (first type error, or the failing UnmarshalJSON's error). */
  typeError?: string;
  /** Full paths of unknown fields, in body order. */
  unknownFields: string[];
  /** Full paths of duplicated fields, in body order. */
  duplicateFields: string[];
  /** `unknown field "p"` / `duplicate field "p"` messages in order (deduplicated, at most 100). */
  strictErrors: string[];
}

class Fatal extends Error {}

/** `lenient`: inside a custom UnmarshalJSON that decodes with the non-strict decoder (no unknown/duplicate field errors). */
type Ctx = { struct?: string; fieldStack: string[]; strictPath: string; lenient?: boolean };

const kindOf = (n: JsonNode): string => (n.t === 'bool' ? 'bool' : n.t);
const joinKey = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const INT_RANGE: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/**
 * Checks `raw` (a JSON body, bytes or text) against the proto message `message`
 * (e.g. `k8s.io.api.apps.v1.Deployment`). Never throws for any body; throws Error only
 * when `message` is not in descriptors.json.
 */
export function checkBody(message: string, raw: Buffer | string, opts: CheckOptions = {}): BodyCheck {
  const type = structuralType(message);
  if (!type) throw new Error(`no structural type for message ${message}`);
  const out: BodyCheck = { unknownFields: [], duplicateFields: [], strictErrors: [] };
  const scanned = scanJson(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw, opts.maxDepth ?? 10000);
  if (scanned.error !== undefined) { out.syntaxError = scanned.error; return out; }
  out.value = toValue(scanned.node);
  let saved: string | undefined;
  const seen = new Set<string>();
  const strict = (what: 'unknown' | 'duplicate', path: string): void => {
    const msg = `${what} field ${JSON.stringify(path)}`;
    if (out.strictErrors.length >= 100 || seen.has(msg)) return;
    seen.add(msg);
    out.strictErrors.push(msg);
    (what === 'unknown' ? out.unknownFields : out.duplicateFields).push(path);
  };
  const typeErr = (ctx: Ctx, value: string, goType: string): string => (ctx.struct !== undefined || ctx.fieldStack.length
    ? `json: cannot unmarshal ${value} into Go struct field ${ctx.struct ?? ''}.${ctx.fieldStack.join('.')} of type ${goType}`
    : `json: cannot unmarshal ${value} into Go value of type ${goType}`);
  const save = (msg: string): void => { saved ??= msg; };

  const walk = (node: JsonNode, t: StructuralType, ctx: Ctx): void => {
    if (node.t === 'null') return;
    switch (t.kind) {
      case 'any': {
        const or = t.schemaOr;
        if (!or) return;
        // apiextensions' JSONSchemaPropsOr* UnmarshalJSON (types_jsonschema.go): a schema
        // object, or a bool / list of schemas / list of strings; decoded non-strictly.
        const schema = or.schema();
        const inner: Ctx = { ...ctx, lenient: true };
        if (node.t === 'object') { if (schema) walk(node, schema, inner); return; }
        if (or.list === 'none') {
          if (node.t === 'bool') return;
          throw new Fatal('boolean or JSON schema expected');
        }
        if (node.t !== 'array') return;
        if (or.list === 'schemas' && schema) node.items.forEach((item, i) => walk(item, schema, { ...inner, strictPath: `${ctx.strictPath}[${i}]` }));
        if (or.list === 'strings') node.items.forEach((item) => { if (item.t !== 'string' && item.t !== 'null') save(typeErr(ctx, kindOf(item), 'string')); });
        return;
      }
      case 'quantity': {
        const text = node.t === 'string' ? node.v : node.t === 'number' ? node.raw : node.t === 'bool' ? String(node.v) : '{';
        const err = quantityError(text);
        if (err) throw new Fatal(err);
        return;
      }
      case 'int-or-string': {
        if (node.t === 'string') return;
        if (node.t === 'number' && intError(node.raw, 'int32') === undefined) return;
        throw new Fatal(typeErr(ctx, node.t === 'number' ? `number ${node.raw}` : kindOf(node), 'int32'));
      }
      case 'time': case 'duration': {
        if (node.t !== 'string') throw new Fatal(typeErr(ctx, kindOf(node), 'string'));
        const err = t.kind === 'duration' ? durationError(node.v) : undefined;
        if (err) throw new Fatal(err);
        return;
      }
      case 'scalar': {
        const s = t.scalar;
        if (node.t === 'string') {
          if (s === 'string') return;
          if (s === 'bytes') { const err = base64Error(node.v); if (err) save(err); return; }
        } else if (node.t === 'bool') {
          if (s === 'bool') return;
        } else if (node.t === 'number') {
          if (s === 'double' || s === 'float') {
            const v = Number(node.raw);
            if (Number.isFinite(v) && (s === 'double' || Math.abs(v) <= 3.4028234663852886e38)) return;
            return save(typeErr(ctx, `number ${node.raw}`, t.goType));
          }
          if (s in INT_RANGE) {
            const err = intError(node.raw, s);
            if (err) save(typeErr(ctx, err, t.goType));
            return;
          }
          return save(typeErr(ctx, 'number', t.goType));
        }
        return save(typeErr(ctx, kindOf(node), t.goType));
      }
      case 'array': {
        if (node.t !== 'array') return save(typeErr(ctx, kindOf(node), t.goType));
        node.items.forEach((item, i) => walk(item, t.items, { ...ctx, strictPath: `${ctx.strictPath}[${i}]` }));
        return;
      }
      case 'map': {
        if (node.t !== 'object') return save(typeErr(ctx, kindOf(node), t.goType));
        const keys = new Set<string>();
        for (const [k, v] of node.entries) {
          if (keys.has(k) && !ctx.lenient) strict('duplicate', joinKey(ctx.strictPath, k));
          keys.add(k);
          walk(v, t.values, { ...ctx, strictPath: joinKey(ctx.strictPath, k) });
        }
        return;
      }
      case 'object': {
        if (node.t !== 'object') return save(typeErr(ctx, kindOf(node), t.goType));
        const keys = new Set<string>();
        for (const [k, v] of node.entries) {
          const f = t.fields.get(k);
          if (!f) { if (!ctx.lenient) strict('unknown', joinKey(ctx.strictPath, k)); continue; }
          if (keys.has(k) && !ctx.lenient) strict('duplicate', joinKey(ctx.strictPath, k));
          keys.add(k);
          const via = opts.embeddedFieldNames ? f.embeddedIn : [];
          walk(v, f.type, { struct: t.structName, fieldStack: [...ctx.fieldStack, ...via, k], strictPath: joinKey(ctx.strictPath, k), lenient: ctx.lenient });
        }
      }
    }
  };
  try {
    walk(scanned.node, type, { fieldStack: [], strictPath: '' });
    if (saved) out.typeError = saved;
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    out.typeError = e.message;
  }
  return out;
}

/** strconv.ParseInt/ParseUint + overflow check on a JSON number literal: `number <raw>` on failure. */
function intError(raw: string, kind: string): string | undefined {
  const range = INT_RANGE[kind];
  if (!/^-?[0-9]+$/.test(raw) || !range) return `number ${raw}`;
  const v = BigInt(raw);
  return v < range[0] || v > range[1] ? `number ${raw}` : undefined;
}
