/**
 * Subresources over a main resource's GenericStore (upstream pkg/registry/<group>/<resource>/storage):
 * `status` (status strategy: only status changes), `scale` (autoscaling/v1 Scale over
 * spec.replicas), `binding` (POST pods/{name}/binding sets spec.nodeName) and
 * `finalize` (PUT namespaces/{name}/finalize sets spec.finalizers).
 */
import type { KubeObject } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Namespace } from '../../api/core/v1/types.js';
import { bindingDefinition } from '../../api/core/v1/binding.js';
import { badRequest, conflict, invalid, notFound, OPTIMISTIC_LOCK_MESSAGE } from '../../machinery/errors.js';
import { invalidValue } from '../../machinery/field-errors.js';
import { labelSelectorString } from '../../machinery/labels.js';
import { applyJsonPatch } from '../../machinery/patch/json-patch.js';
import { applyMergePatch } from '../../machinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../machinery/patch/strategic-merge-patch.js';
import { ScaleSchema } from '../../api/apps/v1/types.js';
import { GenericStore, now } from './store.js';
import { validateEphemeralContainersUpdate } from '../../api/core/v1/pod.js';
import { statusStrategy, type Strategy } from './strategy.js';
import { prepareApprovalUpdate } from '../../api/certificates/v1/certificate-signing-request.js';
import type { PatchType, RequestContext, RestStorage } from './rest.js';

/** A subresource that reads the object and writes it through `strategy` (status, approval): GET, PUT and PATCH. */
function strategySubresource(main: GenericStore, subresource: string, strategy: Strategy): RestStorage {
  const store = main.forSubresource(subresource, strategy);
  return {
    info: main.info, subresource,
    get: (ctx, name) => main.get(ctx, name),
    update: (ctx, name, obj) => store.update(ctx, name, obj),
    patch: (ctx, name, type, patch) => store.patch(ctx, name, type, patch),
  };
}

/** The `status` subresource: the same storage with the status strategy. */
export function statusStorage(main: GenericStore): RestStorage {
  return strategySubresource(main, 'status', statusStrategy(main.strategy));
}

function applyPatch(doc: KubeObject, type: PatchType, patch: unknown): KubeObject {
  if (type === 'json') return applyJsonPatch(doc, patch);
  if (type === 'merge') return applyMergePatch(doc, patch);
  if (type === 'strategic') return applyStrategicMergePatch(doc, patch, ScaleSchema);
  throw badRequest('server-side apply is not supported on scale');
}

/** certificatesigningrequests/{name}/approval: only status.conditions change (kubectl certificate approve|deny). */
export function approvalStorage(main: GenericStore): RestStorage {
  return strategySubresource(main, 'approval', { ...statusStrategy(main.strategy), prepareForUpdate: prepareApprovalUpdate });
}

/** The `scale` subresource of deployments and replicasets. */
export function scaleStorage(main: GenericStore): RestStorage {
  const store = main.forSubresource('scale');
  const toScale = (obj: KubeObject): KubeObject => {
    const spec = (obj.spec ?? {}) as { replicas?: number; selector?: never };
    const status = (obj.status ?? {}) as { replicas?: number };
    return {
      apiVersion: 'autoscaling/v1', kind: 'Scale',
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
      spec: { replicas: spec.replicas ?? 0 },
      status: { replicas: status.replicas ?? 0, selector: labelSelectorString(spec.selector) },
    };
  };
  const setReplicas = async (ctx: RequestContext, name: string, makeScale: (current: KubeObject) => KubeObject): Promise<KubeObject> => {
    const r = await store.guaranteedUpdate(ctx, name, (current) => {
      if (!current) throw notFound(main.gr, name);
      const scale = makeScale(toScale(main.decorate(structuredClone(current))));
      const rv = scale.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(main.gr, name, OPTIMISTIC_LOCK_MESSAGE);
      const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw invalid('autoscaling', 'Scale', name, [invalidValue('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
      const next = structuredClone(current);
      (next.spec as { replicas?: number }).replicas = replicas;
      delete next.metadata.resourceVersion;
      return next;
    });
    return toScale(r.object);
  };
  return {
    info: main.info, subresource: 'scale', returnsKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, bodyMessage: 'k8s.io.api.autoscaling.v1.Scale',
    get: async (ctx, name) => toScale(await main.get(ctx, name)),
    update: async (ctx, name, obj) => ({ object: await setReplicas(ctx, name, () => obj), created: false }),
    patch: (ctx, name, type, patch) => setReplicas(ctx, name, (current) => applyPatch(current, type, patch)),
  };
}

/** POST pods/{name}/binding (upstream BindingREST): assigns the pod to a node once. */
export function bindingStorage(pods: GenericStore): RestStorage {
  return {
    info: pods.info, subresource: 'binding', returnsKind: { group: '', version: 'v1', kind: 'Binding' }, bodyMessage: 'k8s.io.api.core.v1.Binding',
    async create(ctx, obj, name) {
      const binding = obj as KubeObject & { target?: { kind?: string; name?: string } };
      const podName = binding.metadata?.name || name;
      if (!podName) throw badRequest('name is required for a binding');
      if (name && binding.metadata?.name && binding.metadata.name !== name) throw badRequest(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
      const errs = bindingDefinition.validate(binding as never);
      if (errs.length) throw invalid('', 'Binding', podName, errs);
      await pods.guaranteedUpdate(ctx, podName, (current) => {
        if (!current) throw notFound(pods.gr, podName);
        // A shallow copy is enough: only spec and status are replaced, and the store deep-copies what this returns.
        const pod = { ...current } as Pod;
        if (pod.metadata.deletionTimestamp) throw conflict(pods.gr, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
        if (pod.spec?.nodeName) throw conflict(pods.gr, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
        pod.spec = { ...pod.spec!, nodeName: binding.target!.name };
        const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
        conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() });
        pod.status = { ...pod.status, conditions: conds };
        return pod;
      }, { allowCreate: false, internal: true });
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
    },
  };
}

/** PUT namespaces/{name}/finalize: replaces spec.finalizers; an emptied, deleting namespace is removed. */
export function finalizeStorage(namespaces: GenericStore): RestStorage {
  return {
    info: namespaces.info, subresource: 'finalize',
    async update(ctx, name, obj) {
      const finalizers = ((obj as Namespace).spec?.finalizers ?? []) as string[];
      const r = await namespaces.guaranteedUpdate(ctx, name, (current) => {
        if (!current) throw notFound(namespaces.gr, name);
        const ns = structuredClone(current) as Namespace;
        ns.spec = { ...ns.spec, finalizers };
        return ns;
      }, { allowCreate: false, internal: true });
      return r;
    },
  };
}

/**
 * pods/{name}/ephemeralcontainers (upstream EphemeralContainersREST and its strategy): GET
 * returns the Pod; PUT and PATCH change only `spec.ephemeralContainers` — everything else
 * is kept from the stored pod — and existing ephemeral containers may be neither removed
 * nor changed. `kubectl debug` adds its container with a strategic merge patch here.
 */
export function ephemeralContainersStorage(main: GenericStore): RestStorage {
  const store = main.forSubresource('ephemeralcontainers', {
    ...main.strategy,
    tracksGeneration: false,
    prepareForCreate() {},
    prepareForUpdate(obj, old) {
      const ephemeral = (obj.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
      const rv = obj.metadata.resourceVersion;
      for (const key of Object.keys(obj)) if (key !== 'apiVersion' && key !== 'kind') delete obj[key];
      Object.assign(obj, structuredClone(old));
      obj.metadata.resourceVersion = rv;
      const spec = obj.spec as { ephemeralContainers?: unknown };
      if (ephemeral === undefined) delete spec.ephemeralContainers; else spec.ephemeralContainers = ephemeral;
    },
    validateUpdate: (obj, old) => validateEphemeralContainersUpdate(obj as Pod, old as Pod),
  });
  return {
    info: main.info, subresource: 'ephemeralcontainers',
    get: (ctx, name) => main.get(ctx, name),
    update: (ctx, name, obj) => store.update(ctx, name, obj),
    patch: (ctx, name, type, patch) => store.patch(ctx, name, type, patch),
  };
}
