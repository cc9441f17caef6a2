/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1, upstream
 * pkg/scheduler/apis/config/v1 and its defaults/validation): the scheduler's profiles,
 * plugin sets and weights, plugin arguments, `percentageOfNodesToScore` and the queue's
 * back-off, read from the YAML or JSON file given to `k8ts scheduler --config` or
 * `k8ts server --scheduler-config`.
 *
 * Plugin sets merge as upstream's: the default plugins sit in `multiPoint`;
 * `multiPoint.disabled` removes defaults (`*`: all of them), `multiPoint.enabled` adds
 * plugins (or sets a default one's weight); an extension point's own `disabled` turns
 * plugins off at that point only, its `enabled` turns them on there (a plugin not in the
 * set joins for that point only) and, for `score`, sets the weight.
 * Errors are thrown as Error naming the field (`profiles[0].plugins.score.enabled[1].weight:
 * Invalid value: 0: must be greater than 0`) so a bad file stops the scheduler at start.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ExtensionPoint, PluginConfig } from './framework/framework.js';
import type { PluginFactory } from './framework/interface.js';
import type { SchedulingQueueOptions } from './queue/scheduling-queue.js';
import { DEFAULT_SCHEDULER_NAME } from './pod-filters.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

/** One profile: pods naming `schedulerName` are scheduled with `plugins`. */
export interface SchedulerProfile {
  schedulerName: string;
  plugins: PluginConfig[];
  /** This profile's share of nodes to score (overrides the global one), 0–100. */
  percentageOfNodesToScore?: number;
}

/** The parsed configuration with upstream's defaults filled in. */
export interface SchedulerConfiguration {
  profiles: SchedulerProfile[];
  /** 0: adaptive (upstream's default). */
  percentageOfNodesToScore: number;
  queue: Required<Pick<SchedulingQueueOptions, 'initialBackoffMs' | 'maxBackoffMs'>>;
}

const POINTS: ExtensionPoint[] = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'];
const TOP_FIELDS = ['apiVersion', 'kind', 'parallelism', 'leaderElection', 'clientConnection', 'healthzBindAddress', 'metricsBindAddress',
  'enableProfiling', 'enableContentionProfiling', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds',
  'profiles', 'extenders', 'delayCacheUntilActive'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (path: string, value: unknown, why: string): Error => new Error(`${path}: Invalid value: ${JSON.stringify(value)}: ${why}`);

/** Upstream's defaults, the given default plugin set as the one profile. */
export function defaultSchedulerConfiguration(defaultPlugins: PluginConfig[]): SchedulerConfiguration {
  return { profiles: [{ schedulerName: DEFAULT_SCHEDULER_NAME, plugins: defaultPlugins.map((p) => ({ ...p })) }], percentageOfNodesToScore: 0, queue: { initialBackoffMs: 1000, maxBackoffMs: 10_000 } };
}

/**
 * Parses a configuration document. `defaultPlugins` is the default profile's plugin set,
 * `registry` the plugin factories (names are checked against it, and each plugin with
 * arguments is built once so bad arguments fail here). Throws Error (see the module doc).
 */
export function parseSchedulerConfiguration(text: string, defaultPlugins: PluginConfig[], registry: Record<string, PluginFactory>): SchedulerConfiguration {
  const known = new Set(Object.keys(registry));
  let doc: unknown;
  try { doc = parseYaml(text); } catch (err) { throw new Error(`scheduler configuration: ${(err as Error).message}`); }
  if (!isObj(doc)) throw new Error('scheduler configuration: expected a KubeSchedulerConfiguration object');
  if (doc.apiVersion !== SCHEDULER_CONFIG_API_VERSION || doc.kind !== 'KubeSchedulerConfiguration') {
    throw new Error(`scheduler configuration: no kind "${String(doc.kind ?? '')}" is registered for version "${String(doc.apiVersion ?? '')}" (expected ${SCHEDULER_CONFIG_API_VERSION} KubeSchedulerConfiguration)`);
  }
  const unknown = Object.keys(doc).filter((k) => !TOP_FIELDS.includes(k));
  if (unknown.length) throw new Error(`scheduler configuration: strict decoding error: ${unknown.map((k) => `unknown field "${k}"`).join(', ')}`);
  const cfg = defaultSchedulerConfiguration(defaultPlugins);
  cfg.percentageOfNodesToScore = percentage(doc.percentageOfNodesToScore, 'percentageOfNodesToScore') ?? 0;
  const initial = seconds(doc.podInitialBackoffSeconds, 'podInitialBackoffSeconds') ?? 1;
  const max = seconds(doc.podMaxBackoffSeconds, 'podMaxBackoffSeconds') ?? 10;
  if (max < initial) throw invalid('podMaxBackoffSeconds', max, 'must be greater than or equal to PodInitialBackoffSeconds');
  cfg.queue = { initialBackoffMs: initial * 1000, maxBackoffMs: max * 1000 };
  if (doc.profiles !== undefined) {
    if (!Array.isArray(doc.profiles) || !doc.profiles.length) throw new Error('profiles: Required value: must have at least one profile');
    const names = new Set<string>();
    cfg.profiles = doc.profiles.map((p, i) => {
      const path = `profiles[${i}]`;
      if (!isObj(p)) throw invalid(path, p, 'must be an object');
      const schedulerName = p.schedulerName === undefined ? DEFAULT_SCHEDULER_NAME : p.schedulerName;
      if (typeof schedulerName !== 'string' || !schedulerName) throw new Error(`${path}.schedulerName: Required value`);
      if (names.has(schedulerName)) throw new Error(`${path}.schedulerName: Duplicate value: ${JSON.stringify(schedulerName)}`);
      names.add(schedulerName);
      const plugins = mergePlugins(defaultPlugins, p.plugins, `${path}.plugins`, known);
      applyPluginConfig(plugins, p.pluginConfig, `${path}.pluginConfig`, known);
      for (const pl of plugins) {
        if (pl.args === undefined) continue;
        try { registry[pl.name]({}, pl.args); } catch (err) { throw new Error(`${path}.pluginConfig[name=${pl.name}].args.${(err as Error).message}`); }
      }
      const pct = percentage(p.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`);
      return { schedulerName, plugins, ...(pct !== undefined ? { percentageOfNodesToScore: pct } : {}) };
    });
  }
  return cfg;
}

/** Reads and parses `path`; see {@link parseSchedulerConfiguration}. */
export function loadSchedulerConfiguration(path: string, defaultPlugins: PluginConfig[], registry: Record<string, PluginFactory>): SchedulerConfiguration {
  return parseSchedulerConfiguration(readFileSync(path, 'utf8'), defaultPlugins, registry);
}

function percentage(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 100) throw invalid(path, v, 'not in valid range [0-100]');
  return v as number;
}

function seconds(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) <= 0) throw invalid(path, v, 'must be greater than 0');
  return v as number;
}

interface PluginRef { name: string; weight?: number }

function pluginList(v: unknown, path: string, known: ReadonlySet<string>, allowStar: boolean): PluginRef[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(path, v, 'must be a list');
  return v.map((e, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(e) || typeof e.name !== 'string' || !e.name) throw new Error(`${p}.name: Required value`);
    if (!(allowStar && e.name === '*') && !known.has(e.name)) throw invalid(`${p}.name`, e.name, 'plugin does not exist');
    if (e.weight !== undefined && (!Number.isInteger(e.weight) || (e.weight as number) <= 0 || (e.weight as number) > 100)) throw invalid(`${p}.weight`, e.weight, 'must be in the range [1, 100]');
    return { name: e.name, ...(e.weight !== undefined ? { weight: e.weight as number } : {}) };
  });
}

/** The profile's plugin set from the defaults and the `plugins` section (see the module doc). */
export function mergePlugins(defaults: PluginConfig[], plugins: unknown, path: string, known: ReadonlySet<string>): PluginConfig[] {
  let out: PluginConfig[] = defaults.map((p) => ({ ...p }));
  if (plugins === undefined || plugins === null) return out;
  if (!isObj(plugins)) throw invalid(path, plugins, 'must be an object');
  const unknownPoint = Object.keys(plugins).find((k) => k !== 'multiPoint' && !POINTS.includes(k as ExtensionPoint));
  if (unknownPoint) throw new Error(`${path}: strict decoding error: unknown field "${unknownPoint}"`);
  const set = (point: string): { enabled: PluginRef[]; disabled: PluginRef[] } => {
    const s = plugins[point];
    if (s === undefined || s === null) return { enabled: [], disabled: [] };
    if (!isObj(s)) throw invalid(`${path}.${point}`, s, 'must be an object');
    return { enabled: pluginList(s.enabled, `${path}.${point}.enabled`, known, false), disabled: pluginList(s.disabled, `${path}.${point}.disabled`, known, true) };
  };
  const multi = set('multiPoint');
  if (multi.disabled.some((d) => d.name === '*')) out = [];
  else out = out.filter((p) => !multi.disabled.some((d) => d.name === p.name));
  for (const e of multi.enabled) {
    const cur = out.find((p) => p.name === e.name);
    if (cur) { if (e.weight !== undefined) cur.weight = e.weight; } else out.push({ name: e.name, ...(e.weight !== undefined ? { weight: e.weight } : {}) });
  }
  for (const point of POINTS) {
    const s = set(point);
    const all = s.disabled.some((d) => d.name === '*');
    for (const p of out) {
      if (all || s.disabled.some((d) => d.name === p.name)) p.disabled = [...(p.disabled ?? []), point];
    }
    for (const e of s.enabled) {
      const cur = out.find((p) => p.name === e.name);
      if (cur) {
        cur.disabled = cur.disabled?.filter((x) => x !== point);
        if (cur.only && !cur.only.includes(point)) cur.only.push(point);
        if (point === 'score' && e.weight !== undefined) cur.weight = e.weight;
      } else {
        out.push({ name: e.name, only: [point], ...(point === 'score' && e.weight !== undefined ? { weight: e.weight } : {}) });
      }
    }
  }
  return out;
}

/** `pluginConfig`: each entry's `args` go to the named plugin of the profile. */
function applyPluginConfig(plugins: PluginConfig[], list: unknown, path: string, known: ReadonlySet<string>): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw invalid(path, list, 'must be a list');
  const seen = new Set<string>();
  list.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(e) || typeof e.name !== 'string') throw new Error(`${p}.name: Required value`);
    if (!known.has(e.name)) throw invalid(`${p}.name`, e.name, 'plugin does not exist');
    if (seen.has(e.name)) throw new Error(`${p}: Duplicate value: ${JSON.stringify(e.name)}`);
    seen.add(e.name);
    const target = plugins.find((x) => x.name === e.name);
    if (target && e.args !== undefined) target.args = e.args;
  });
}
