/**
 * ControllerRevision history (upstream pkg/controller/history/controller_history.go):
 * immutable snapshots of a parent's template (StatefulSet, later DaemonSet) named
 * `<parent>-<hash>`, numbered by `revision`, created with a collision count, and
 * truncated to the parent's `revisionHistoryLimit`.
 */
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { type ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import { resources, type Client } from '../../client/interface.js';
import { isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { stableJson } from '../../machinery/stable-json.js';
import { safeEncodeString } from '../../machinery/rand.js';

/** Client address of apps/v1 controllerrevisions. */

/** Label carrying a revision's data hash (upstream history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** 32-bit FNV-1 (Go's hash/fnv New32, which upstream uses here) of `bytes`; an unsigned integer. */
export function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h >>> 0;
}

/** The canonical serialization of revision data (sorted keys, so equal data gives equal bytes). */
export const serializeRevisionData = (data: unknown): string => stableJson(data ?? null);

/**
 * Upstream HashControllerRevision: FNV-32 of the serialized `data`, then of the decimal
 * `collisionCount` when given, printed in decimal and safe-encoded (e.g. `7b9f6c8d5`).
 */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32(enc.encode(serializeRevisionData(data)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** Upstream ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 bytes so the name fits 253. */
export const controllerRevisionName = (prefix: string, hash: string): string => `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;

/** Who owns revisions: the parent object and its apiVersion/kind for the controller reference. */
export interface RevisionParent { parent: KubeObject; apiVersion: string; kind: string }

const controllerRefTo = ({ parent, apiVersion, kind }: RevisionParent): OwnerReference =>
  ({ apiVersion, kind, name: parent.metadata.name!, uid: parent.metadata.uid!, controller: true, blockOwnerDeletion: true });

/**
 * Upstream NewControllerRevision: an unsaved revision of `data` numbered `revision`,
 * labelled with `templateLabels` plus the hash label, controlled by the parent, named
 * `<parent>-<hash(data, collisionCount)>` in the parent's namespace.
 */
export function newControllerRevision(owner: RevisionParent, templateLabels: Record<string, string> | undefined, data: unknown, revision: number, collisionCount?: number): ControllerRevision {
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(owner.parent.metadata.name!, hash), namespace: owner.parent.metadata.namespace,
      labels: { ...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash }, ownerReferences: [controllerRefTo(owner)],
    },
    data: structuredClone(data), revision,
  };
}

/** Upstream EqualRevision: same hash label and the same data (canonical bytes). */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]; const hb = b.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return serializeRevisionData(a.data) === serializeRevisionData(b.data);
}

/** Upstream FindEqualRevisions: the revisions among `revisions` equal to `needle`. */
export const findEqualRevisions = (revisions: ControllerRevision[], needle: ControllerRevision): ControllerRevision[] =>
  revisions.filter((r) => equalRevision(r, needle));

/** Upstream SortControllerRevisions: ascending by `revision`, then creation time, then name. New array. */
export function sortControllerRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  const created = (r: ControllerRevision) => Date.parse(r.metadata.creationTimestamp ?? '') || 0;
  return [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
}

/** Upstream nextRevision: one more than the highest `revision` (1 when there are none). */
export const nextRevision = (revisions: ControllerRevision[]): number =>
  revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;

/** The revisions (from a lister or list) whose controller reference is the parent's uid. */
export const ownedRevisions = (revisions: ControllerRevision[], parent: KubeObject): ControllerRevision[] =>
  revisions.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === parent.metadata.uid));

/**
 * The parent's revisions from `all` (one namespace): those it controls, plus orphans
 * whose labels `selector` matches, adopted by adding `ownerRef` (a merge patch
 * conditional on their resourceVersion; upstream AdoptControllerRevision). A revision
 * gone meanwhile is skipped; other API errors are thrown.
 */
export async function claimRevisions(client: Client, all: ControllerRevision[], parent: KubeObject, selector: { matches(labels?: Record<string, string>): boolean }, ownerRef: OwnerReference): Promise<ControllerRevision[]> {
  const owned = ownedRevisions(all, parent);
  const api = client.resource<ControllerRevision>(resources.controllerrevisions);
  for (const r of all) {
    if (r.metadata.ownerReferences?.some((o) => o.controller) || !selector.matches(r.metadata.labels)) continue;
    try {
      owned.push(await api.patch(r.metadata.name!, { metadata: { ownerReferences: [...(r.metadata.ownerReferences ?? []), ownerRef], resourceVersion: r.metadata.resourceVersion } }, 'application/merge-patch+json', { namespace: r.metadata.namespace }));
    } catch (e) { if (!isNotFound(e)) throw e; }
  }
  return owned;
}

/**
 * Upstream realHistory.CreateControllerRevision: creates `revision`, renamed with the
 * hash of its data and `collisionCount.value`. When a different revision already holds
 * the name the count is bumped and it retries (the caller persists the new count in
 * the parent's status); an equal existing one is returned as is. Throws API errors.
 */
export async function createControllerRevision(client: Client, owner: RevisionParent, revision: ControllerRevision, collisionCount: { value: number }): Promise<ControllerRevision> {
  const api = client.resource<ControllerRevision>(resources.controllerrevisions);
  const namespace = owner.parent.metadata.namespace;
  for (;;) {
    const hash = hashControllerRevision(revision.data, collisionCount.value);
    const candidate: ControllerRevision = structuredClone(revision);
    candidate.metadata = { ...candidate.metadata, name: controllerRevisionName(owner.parent.metadata.name!, hash), namespace, labels: { ...candidate.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } };
    delete candidate.metadata.resourceVersion;
    try {
      return await api.create<ControllerRevision>(candidate, { namespace });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await api.get(candidate.metadata.name!, { namespace });
      if (equalRevision(existing, candidate)) return existing;
      collisionCount.value++;
    }
  }
}

/** Upstream UpdateControllerRevision: sets `revision` (the only mutable field besides metadata). */
export async function updateControllerRevisionNumber(client: Client, revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
  if (revision.revision === newRevision) return revision;
  return client.resource<ControllerRevision>(resources.controllerrevisions).patch(revision.metadata.name!, { revision: newRevision }, 'application/merge-patch+json', { namespace: revision.metadata.namespace });
}

/**
 * Upstream truncateHistory: deletes the oldest revisions that are not `live` (names in
 * use by pods or as current/update revision) until at most `limit` non-live remain.
 * Returns the names deleted; already-gone ones are ignored.
 */
export async function truncateHistory(client: Client, revisions: ControllerRevision[], live: Set<string>, limit: number): Promise<string[]> {
  const history = sortControllerRevisions(revisions).filter((r) => !live.has(r.metadata.name!));
  const excess = history.slice(0, Math.max(0, history.length - Math.max(0, limit)));
  const api = client.resource<ControllerRevision>(resources.controllerrevisions);
  for (const r of excess) {
    await api.delete(r.metadata.name!, { namespace: r.metadata.namespace }).catch((e) => { if (!isNotFound(e)) throw e; });
  }
  return excess.map((r) => r.metadata.name!);
}
