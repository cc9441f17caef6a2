/**
 * A check's verdict and their aggregation (upstream pod-security-admission
 * policy/checks.go CheckResult, AggregateCheckResult), plus the wording helpers the
 * checks share (policy/helpers.go pluralize, joinQuote).
 */

/** One check's verdict: when refused, a short `reason` and an optional `detail`. */
export interface CheckResult { allowed: boolean; reason?: string; detail?: string }

/** All refusing checks' reasons and details, in check order. */
export interface AggregateResult { allowed: boolean; reasons: string[]; details: string[] }

export const ALLOWED: CheckResult = { allowed: true };

/** A refusal with `reason` and `detail`. */
export const refuse = (reason: string, detail = ''): CheckResult => ({ allowed: false, reason, detail });

/** Folds check results: refused checks in order; an empty reason becomes upstream's placeholder. */
export function aggregate(results: CheckResult[]): AggregateResult {
  const reasons: string[] = [];
  const details: string[] = [];
  for (const r of results) {
    if (r.allowed) continue;
    reasons.push(r.reason || 'unknown forbidden reason');
    details.push(r.detail ?? '');
  }
  return { allowed: reasons.length === 0, reasons, details };
}

/** `reason1 (detail1), reason2, reason3 (detail3)` — the text of refusals and warnings. */
export const forbiddenDetail = (a: AggregateResult): string =>
  a.reasons.map((r, i) => (a.details[i] ? `${r} (${a.details[i]})` : r)).join(', ');

/** `reason1, reason2` — used for the existing-pods warnings of a namespace update. */
export const forbiddenReason = (a: AggregateResult): string => a.reasons.join(', ');

/** The singular or plural word for a count. */
export const pluralize = (singular: string, plural: string, n: number): string => (n === 1 ? singular : plural);

/** Values quoted as Go's %q and joined with ", ": `"a", "b"`. */
export const joinQuote = (items: readonly string[]): string => items.map((s) => JSON.stringify(s)).join(', ');

/** Sorted distinct values (Go's sets.String.List()). */
export const sortedSet = (items: Iterable<string>): string[] => [...new Set(items)].sort();

/** `container "a"` / `containers "a", "b"`. */
export const containersText = (names: readonly string[]): string => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
