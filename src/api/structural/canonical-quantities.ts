/**
 * Quantities in their canonical form, as upstream's objects carry them: a Quantity
 * field decoded into Go's resource.Quantity and encoded again reads `500m` for `0.5`,
 * `1` for `1000m`, `1k` for `1000`, `1Gi` for `1024Mi`, `"2"` for the JSON number 2
 * (k8s.io/apimachinery/pkg/api/resource, Quantity.String). The API server applies this
 * to every object it is about to default and store, so reads, watches and
 * server-side apply see what upstream's would.
 *
 * The walk follows only the branches of a kind's structural type that can reach a
 * Quantity (planned once per message): kinds without quantities cost one map lookup.
 */
import { formatAmount, parseAmount } from '../../machinery/quantity-amount.js';
import { structuralType, type StructuralType } from './structural-type.js';

/** Where quantities are, below one type: a quantity itself, or the branches leading to one. */
type Plan =
  | { t: 'quantity' }
  | { t: 'object'; fields: Array<[string, Plan]> }
  | { t: 'array'; items: Plan }
  | { t: 'map'; values: Plan };

const plans = new Map<StructuralType, Plan | null>();
const IN_PROGRESS = null;

function planOf(type: StructuralType): Plan | undefined {
  if (type.kind === 'quantity') return { t: 'quantity' };
  if (type.kind === 'array') { const p = planOf(type.items); return p && { t: 'array', items: p }; }
  if (type.kind === 'map') { const p = planOf(type.values); return p && { t: 'map', values: p }; }
  if (type.kind !== 'object') return undefined;
  if (plans.has(type)) return plans.get(type) ?? undefined; // a recursive type (JSONSchemaProps) holds no quantity
  plans.set(type, IN_PROGRESS);
  const fields: Array<[string, Plan]> = [];
  for (const [name, f] of type.fields) { const p = planOf(f.type); if (p) fields.push([name, p]); }
  const plan: Plan | null = fields.length ? { t: 'object', fields } : null;
  plans.set(type, plan);
  return plan ?? undefined;
}

const byMessage = new Map<string, Plan | null>();

/** The canonical text of one quantity value; values that do not parse are left as they are. */
export function canonicalQuantity(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  try { return formatAmount(parseAmount(value)); } catch { return value; }
}

/**
 * Rewrites, in place, every Quantity of `obj` (an object of proto message `message`,
 * e.g. `k8s.io.api.core.v1.Pod`) into its canonical string. Unknown messages and values
 * of the wrong shape are left alone (decoding reports those).
 */
export function canonicalizeQuantities(message: string, obj: unknown): void {
  let plan = byMessage.get(message);
  if (plan === undefined) {
    const type = structuralType(message);
    plan = (type && planOf(type)) ?? null;
    byMessage.set(message, plan);
  }
  if (plan) walk(plan, obj);
}

function walk(plan: Plan, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  switch (plan.t) {
    case 'object': {
      const o = value as Record<string, unknown>;
      for (const [name, p] of plan.fields) {
        const v = o[name];
        if (v === undefined || v === null) continue;
        if (p.t === 'quantity') o[name] = canonicalQuantity(v);
        else walk(p, v);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        if (plan.items.t === 'quantity') value[i] = canonicalQuantity(value[i]);
        else walk(plan.items, value[i]);
      }
      return;
    case 'map': {
      if (Array.isArray(value)) return;
      const o = value as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (plan.values.t === 'quantity') o[k] = canonicalQuantity(o[k]);
        else walk(plan.values, o[k]);
      }
      return;
    }
    default:
  }
}
