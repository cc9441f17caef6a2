/**
 * Label selectors (k8s.io/apimachinery/pkg/labels): the string syntax
 * `a=b,a==b,a!=b,a in (x,y),a notin (x),a,!a` and metav1.LabelSelector objects.
 * Parse errors throw BadRequest StatusErrors with upstream-like messages.
 */
import { badRequest } from './errors.js';

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
export interface Requirement { key: string; operator: Operator; values: string[] }

/** A parsed selector; `matches` tests a label map. */
export interface Selector {
  readonly requirements: Requirement[];
  /** True for the selector that matches everything. */
  empty(): boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  toString(): string;
}

class RequirementsSelector implements Selector {
  constructor(readonly requirements: Requirement[], private readonly nothing = false) {}
  empty(): boolean { return !this.nothing && this.requirements.length === 0; }
  matches(labels: Record<string, string> | undefined): boolean {
    if (this.nothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.operator) {
        case 'exists': return has;
        case '!': return !has;
        case '=': case 'in': return has && r.values.includes(l[r.key]);
        case '!=': case 'notin': return !has || !r.values.includes(l[r.key]);
      }
    });
  }
  toString(): string {
    return this.requirements.map((r) => {
      switch (r.operator) {
        case 'exists': return r.key;
        case '!': return `!${r.key}`;
        case '=': return `${r.key}=${r.values[0]}`;
        case '!=': return `${r.key}!=${r.values[0]}`;
        default: return `${r.key} ${r.operator} (${r.values.join(',')})`;
      }
    }).join(',');
  }
}

/** Matches every object. */
export const everything = (): Selector => new RequirementsSelector([]);
/** Matches no object (a nil LabelSelector). */
export const nothing = (): Selector => new RequirementsSelector([], true);

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Parses a selector string; '' selects everything. Throws BadRequest on syntax errors. */
export function parseSelector(input: string | undefined): Selector {
  const s = (input ?? '').trim();
  if (!s) return everything();
  const reqs: Requirement[] = [];
  let i = 0;
  const fail = (msg: string): never => { throw badRequest(`unable to parse requirement: ${msg}`); };
  const skip = (): void => { while (s[i] === ' ') i++; };
  const ident = (): string => { skip(); const m = /^[^\s,=!()]+/.exec(s.slice(i)); if (!m) fail(`found '${s[i] ?? 'EOF'}', expected: identifier`); i += m![0].length; return m![0]; };
  while (i < s.length) {
    skip();
    let r: Requirement;
    if (s[i] === '!') { i++; r = { key: ident(), operator: '!', values: [] }; }
    else {
      const key = ident();
      skip();
      if (s.startsWith('==', i)) { i += 2; r = { key, operator: '=', values: [valueTok()] }; }
      else if (s.startsWith('!=', i)) { i += 2; r = { key, operator: '!=', values: [valueTok()] }; }
      else if (s[i] === '=') { i++; r = { key, operator: '=', values: [valueTok()] }; }
      else if (/^in\s*\(/.test(s.slice(i))) { i += 2; r = { key, operator: 'in', values: setTok() }; }
      else if (/^notin\s*\(/.test(s.slice(i))) { i += 5; r = { key, operator: 'notin', values: setTok() }; }
      else if (i >= s.length || s[i] === ',') r = { key, operator: 'exists', values: [] };
      else r = fail(`found '${s[i]}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    if (!KEY_RE.test(r.key)) fail(`invalid label key "${r.key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    for (const v of r.values) if (v.length > 63 || !VALUE_RE.test(v)) fail(`invalid label value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    reqs.push(r);
    skip();
    if (i < s.length) { if (s[i] !== ',') fail(`found '${s[i]}', expected: ','`); i++; }
  }
  return new RequirementsSelector(reqs);

  function valueTok(): string { skip(); const m = /^[^\s,()]*/.exec(s.slice(i))!; i += m[0].length; return m[0]; }
  function setTok(): string[] {
    skip();
    if (s[i] !== '(') fail(`found '${s[i]}', expected: '('`);
    const end = s.indexOf(')', i);
    if (end < 0) fail("found 'EOF', expected: ')'");
    const vals = s.slice(i + 1, end).split(',').map((v) => v.trim()).filter((v) => v !== '');
    i = end + 1;
    return vals;
  }
}

/** metav1.LabelSelector shape. */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Converts a metav1.LabelSelector (nil → nothing, {} → everything). Throws BadRequest on bad operators. */
export function selectorFromLabelSelector(ls: LabelSelectorLike | null | undefined): Selector {
  if (!ls) return nothing();
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [value] });
  for (const e of ls.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator: op, values: e.values ?? [] });
  }
  return new RequirementsSelector(reqs);
}

/** The selector string of a metav1.LabelSelector (as Scale.status.selector carries it). */
export const labelSelectorString = (ls: LabelSelectorLike | null | undefined): string => selectorFromLabelSelector(ls).toString();
