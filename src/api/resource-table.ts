/**
 * The one table of served resources. Every part that needs to know the kinds reads it:
 * the registry (one store per stored kind), discovery, OpenAPI, Table printing, the
 * protobuf codec, the garbage collector and namespace deletion. Kinds are added at start
 * (the built-in ones, builtin-resources.ts) and at run time (CustomResourceDefinitions);
 * listeners hear of every change, so derived documents are rebuilt.
 * Upstream: the RESTMapper plus the apiserver's APIGroupInfo / storage map.
 */
import type { ResourceDefinition } from './resource-definition.js';
import { defaultPrinter, type TablePrinter } from './printers/table.js';

/** Splits an apiVersion into group and version: 'apps/v1' → ['apps', 'v1'], 'v1' → ['', 'v1']. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** A set of resource definitions, indexed by group/version/resource and group/version/kind. */
export class ResourceTable {
  private readonly byGVR = new Map<string, ResourceDefinition>();
  private readonly byGVK = new Map<string, ResourceDefinition>();
  private readonly listeners = new Set<() => void>();

  constructor(defs: ResourceDefinition[] = []) { for (const d of defs) this.add(d); }

  /**
   * Adds a kind. Throws Error when its group/version/resource or group/version/kind is
   * already served (a CRD may not shadow a built-in kind).
   */
  add(def: ResourceDefinition): void {
    const { group, version, plural, kind } = def.info;
    const r = `${group}/${version}/${plural}`;
    const k = `${group}/${version}/${kind}`;
    if (this.byGVR.has(r)) throw new Error(`resource ${plural}.${group || 'core'}/${version} is already served`);
    if (this.byGVK.has(k) && def.serving !== 'request') throw new Error(`kind ${kind}.${group || 'core'}/${version} is already served`);
    this.byGVR.set(r, def);
    if (!this.byGVK.has(k)) this.byGVK.set(k, def);
    this.changed();
  }

  /** Removes a kind (a deleted CRD); false when it was not served. */
  remove(group: string, version: string, plural: string): boolean {
    const def = this.byGVR.get(`${group}/${version}/${plural}`);
    if (!def) return false;
    this.byGVR.delete(`${group}/${version}/${plural}`);
    if (this.byGVK.get(`${group}/${version}/${def.info.kind}`) === def) this.byGVK.delete(`${group}/${version}/${def.info.kind}`);
    this.changed();
    return true;
  }

  /** Every definition, in the order added. */
  all(): ResourceDefinition[] { return [...this.byGVR.values()]; }

  /** Definitions served as REST resources (stored and virtual; not request-only bodies). */
  served(): ResourceDefinition[] { return this.all().filter((d) => d.serving !== 'request'); }

  /**
   * Definitions kept in storage, one per stored resource: a version served over another
   * definition's storage (`storageVersion`) is left out, so the garbage collector and
   * namespace deletion see each object once.
   */
  stored(): ResourceDefinition[] { return this.all().filter((d) => (d.serving ?? 'stored') === 'stored' && !d.storageVersion); }

  /** The definition of group/version/resource (plural). */
  get(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.byGVR.get(`${group}/${version}/${plural}`);
  }

  /** The first-added (preferred) version of group/resource. */
  byResource(group: string, plural: string): ResourceDefinition | undefined {
    for (const d of this.byGVR.values()) if (d.info.group === group && d.info.plural === plural) return d;
    return undefined;
  }

  /** The definition of a kind in `apiVersion` ('apps/v1'), e.g. for an ownerReference. */
  byKind(apiVersion: string, kind: string): ResourceDefinition | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.byGVK.get(`${group}/${version}/${kind}`);
  }

  /** The printer of group/resource (of `version` when given, else the preferred one): the definition's, else NAME and AGE. */
  printerOf(group: string, plural: string, version?: string): TablePrinter {
    const def = version ? this.get(group, version, plural) : this.byResource(group, plural);
    return def?.printer ?? defaultPrinter;
  }

  /** Calls `listener` after every add or remove; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void { for (const l of this.listeners) l(); }
}
