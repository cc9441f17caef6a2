/**
 * A namespace's Pod Security policy from its labels (upstream pod-security-admission
 * api/helpers.go PolicyToEvaluate, api/constants.go): for each mode (enforce, audit,
 * warn) a level and a version. Defaults: privileged:latest for every mode. k8ts
 * evaluates every version as latest but keeps the version for the messages.
 */
import { invalidValue, type FieldError } from '../../../machinery/field-errors.js';

export type Level = 'privileged' | 'baseline' | 'restricted';
/** `latest` or `v1.N`, as written in the label. */
export type Version = string;
export interface LevelVersion { level: Level; version: Version }
export interface Policy { enforce: LevelVersion; audit: LevelVersion; warn: LevelVersion }

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const ENFORCE_LEVEL_LABEL = `${LABEL_PREFIX}enforce`;
export const ENFORCE_VERSION_LABEL = `${LABEL_PREFIX}enforce-version`;
export const AUDIT_LEVEL_LABEL = `${LABEL_PREFIX}audit`;
export const AUDIT_VERSION_LABEL = `${LABEL_PREFIX}audit-version`;
export const WARN_LEVEL_LABEL = `${LABEL_PREFIX}warn`;
export const WARN_VERSION_LABEL = `${LABEL_PREFIX}warn-version`;

const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const VERSION_RE = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** `restricted:latest` — the policy's name in messages. */
export const levelVersionString = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;

/** A label's level; an unknown one is restricted, with the error upstream words. */
export function parseLevel(value: string): { level: Level; error?: string } {
  return (LEVELS as readonly string[]).includes(value) ? { level: value as Level } : { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

/** A label's version (`latest` or `v1.N`); anything else is latest, with upstream's error. */
export function parseVersion(value: string): { version: Version; error?: string } {
  if (value === 'latest') return { version: 'latest' };
  const m = VERSION_RE.exec(value);
  return m ? { version: `v1.${Number(m[1])}` } : { version: 'latest', error: 'must be "latest" or "v1.x"' };
}

/** -1, 0 or 1 as `a` is less strict than, as strict as, or stricter than `b` (api.CompareLevels). */
export const compareLevels = (a: Level, b: Level): number => Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));

/**
 * The policy of a namespace with these labels, and the label errors (field errors at
 * `metadata.labels[...]`). A bad enforce level fails closed (restricted); bad audit or
 * warn levels fail open (privileged); a bad version is latest. As upstream (1.32), warn
 * defaults to the enforce level and version when only enforce is set, stricter.
 */
export function policyToEvaluate(labels: Record<string, string> | undefined): { policy: Policy; errors: FieldError[] } {
  const policy: Policy = { enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'privileged', version: 'latest' } };
  const errors: FieldError[] = [];
  if (!labels) return { policy, errors };
  const fail = (label: string, value: string, error?: string) => { if (error) errors.push(invalidValue(`metadata.labels[${label}]`, value, error)); };
  const modes: Array<[keyof Policy, string, string, Level | undefined]> = [
    ['enforce', ENFORCE_LEVEL_LABEL, ENFORCE_VERSION_LABEL, undefined],
    ['audit', AUDIT_LEVEL_LABEL, AUDIT_VERSION_LABEL, 'privileged'],
    ['warn', WARN_LEVEL_LABEL, WARN_VERSION_LABEL, 'privileged'],
  ];
  for (const [mode, levelLabel, versionLabel, failOpen] of modes) {
    const level = labels[levelLabel];
    if (level !== undefined) {
      const r = parseLevel(level);
      policy[mode].level = r.error && failOpen ? failOpen : r.level;
      fail(levelLabel, level, r.error);
    }
    const version = labels[versionLabel];
    if (version !== undefined) {
      const r = parseVersion(version);
      policy[mode].version = r.version;
      fail(versionLabel, version, r.error);
    }
  }
  if (labels[WARN_LEVEL_LABEL] === undefined && labels[ENFORCE_LEVEL_LABEL] !== undefined && compareLevels(policy.enforce.level, policy.warn.level) > 0) {
    policy.warn.level = policy.enforce.level;
    if (labels[WARN_VERSION_LABEL] === undefined) policy.warn.version = policy.enforce.version;
  }
  return { policy, errors };
}

/** Whether two level-versions are the same policy. */
export const sameLevelVersion = (a: LevelVersion, b: LevelVersion): boolean => a.level === b.level && a.version === b.version;
