/**
 * The review kinds (upstream pkg/registry/authentication/{tokenreview,selfsubjectreview}
 * and pkg/registry/authorization/{subjectaccessreview,localsubjectaccessreview,
 * selfsubjectaccessreview,selfsubjectrulesreview}): create-only storages that never
 * store anything. Each validates the request, asks the Authenticator chain or the
 * Authorizer, and answers the request with `status` filled (SelfSubjectReview and
 * SelfSubjectRulesReview answer a new object, as upstream) — 201 Created, with the
 * zero `metadata.creationTimestamp` printed as null.
 */
import type { KubeObject } from '../../api/object.js';
import { groupVersion, type ResourceDefinition } from '../../api/resource-definition.js';
import { badRequest, invalid, internalError } from '../../machinery/errors.js';
import { authenticateToken, type Authenticator } from '../authn/authenticator.js';
import type { Attributes, Authorizer, AuthorizationResult } from '../authz/authorizer.js';
import type { RequestContext, RestStorage, UserInfo } from './rest.js';
import { structuralSchema } from '../../api/structural/structural-schema.js';
import { defaultIgnoredFields, trackUpdate, type SsaSchema } from '../../machinery/ssa/index.js';
import { now } from './store.js';

export interface ReviewDeps {
  authorizer: Authorizer;
  /** The chain TokenReview authenticates tokens with. */
  authenticators: Authenticator[];
  /** Audiences of a TokenReview that names none (upstream --api-audiences). */
  apiAudiences: string[];
  clock: () => Date;
}

type Obj = Record<string, any>;

/** Drops what Go's encoder leaves out of the echoed spec: empty strings and lists, null (`omitempty`); keeps empty structs (pointers). */
function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneEmpty);
  if (!v || typeof v !== 'object') return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v as Obj)) {
    if (x === null || x === undefined || (x === '' && k !== 'key' && k !== 'operator') || (Array.isArray(x) && x.length === 0)) continue;
    out[k] = pruneEmpty(x);
  }
  return out;
}

/** upstream authorizationutil: the user a SubjectAccessReview spec names. */
const specUser = (spec: Obj): UserInfo => ({
  username: spec.user ?? '', groups: Array.isArray(spec.groups) ? spec.groups : [],
  ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra && Object.keys(spec.extra).length ? { extra: spec.extra } : {}),
});

/** upstream authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesOf(user: UserInfo, spec: Obj): Attributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user, verb: ra.verb ?? '', resourceRequest: true, namespace: ra.namespace ?? '', apiGroup: ra.group ?? '',
      apiVersion: ra.version || '*', resource: ra.resource ?? '', subresource: ra.subresource ?? '', name: ra.name ?? '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return { user, verb: nra.verb ?? '', resourceRequest: false, path: nra.path ?? '' };
}

const accessStatus = (r: AuthorizationResult): Obj => ({
  allowed: r.decision === 'Allow', ...(r.decision === 'Deny' ? { denied: true } : {}),
  ...(r.reason ? { reason: r.reason } : {}), ...(r.evaluationError ? { evaluationError: r.evaluationError } : {}),
});

/** The storage of a review kind, or undefined when `def` is not one. */
export function reviewStorage(def: ResourceDefinition, deps: ReviewDeps): RestStorage | undefined {
  const { group, kind } = def.info;
  const apiVersion = groupVersion(def.info);
  /** Decoding checks (kind, apiVersion, object) and upstream's EnsureObjectNamespaceMatchesRequestNamespace. */
  const accept = (ctx: RequestContext, input: KubeObject): Obj => {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw badRequest('the request body must be a JSON object');
    if (input.kind && input.kind !== kind) throw badRequest(`${input.kind} in version "${def.info.version}" cannot be handled as a ${kind}: the API version in the data (${input.apiVersion}) does not match the expected API version (${apiVersion})`);
    if (input.apiVersion && input.apiVersion !== apiVersion) throw badRequest(`the API version in the data (${input.apiVersion}) does not match the expected API version (${apiVersion})`);
    const obj = structuredClone(input) as Obj;
    if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
    const ns = obj.metadata.namespace ?? '';
    if (!def.info.namespaced) delete obj.metadata.namespace;
    else if (!ns) obj.metadata.namespace = ctx.namespace;
    else if (ns !== ctx.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    return obj;
  };
  /**
   * The request echoed with its status: metadata as upstream prints an unstored object,
   * with the managedFields upstream's field manager adds to every create (an Update entry
   * of `?fieldManager` or the user agent owning the fields the request set; a status sent
   * in the request is the zero one and owns nothing).
   */
  const answer = (ctx: RequestContext, obj: Obj, status: Obj): KubeObject => {
    const { name, namespace, creationTimestamp, managedFields: _m, ...rest } = obj.metadata as Obj;
    const metadata: Obj = { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}), creationTimestamp: creationTimestamp || null, ...pruneEmpty(rest) as Obj };
    const spec = pruneEmpty(obj.spec ?? {});
    const request = { apiVersion, kind, metadata: { ...metadata, ...(creationTimestamp ? {} : { creationTimestamp: undefined }) }, spec };
    const managedFields = trackUpdate(undefined, JSON.parse(JSON.stringify(request)), {
      manager: ctx.fieldManager || (ctx.userAgent ?? '').split('/')[0] || 'unknown', operation: 'Update',
      schema: structuralSchema(def.protobufMessage!, { openApi: true }) as unknown as SsaSchema, apiVersion, now: now(deps.clock), ignoredFields: defaultIgnoredFields(),
    });
    if (managedFields.length) metadata.managedFields = managedFields;
    return { kind, apiVersion, metadata, spec, status } as unknown as KubeObject;
  };
  const validated = (obj: Obj): void => {
    const errs = def.validate(obj as KubeObject);
    // The internal object has no kind when validated: upstream prints `.authorization.k8s.io "" is invalid`.
    if (errs.length) throw invalid(group, '', '', errs);
  };
  const storage = (create: (ctx: RequestContext, obj: Obj) => Promise<KubeObject>): RestStorage =>
    ({ info: def.info, create: async (ctx, input) => create(ctx, accept(ctx, input)) });

  switch (`${group}/${def.info.plural}`) {
    case 'authentication.k8s.io/tokenreviews':
      return storage(async (ctx, obj) => {
        const spec: Obj = obj.spec ?? {};
        if (!spec.token) throw badRequest('token is required for TokenReview in authentication');
        const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : deps.apiAudiences;
        const { result, error } = await authenticateToken(deps.authenticators, spec.token, audiences);
        if (result && audiences.length && !(result.audiences ?? []).some((a) => audiences.includes(a))) throw internalError(new Error('error validating audiences'));
        const status: Obj = { ...(result ? { authenticated: true } : {}), user: {} };
        if (result) {
          const u = result.user;
          status.user = { username: u.username, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups.length ? { groups: u.groups } : {}), ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) };
          if (result.audiences?.length) status.audiences = result.audiences;
        }
        if (error) status.error = error;
        return answer(ctx, obj, status);
      });
    case 'authentication.k8s.io/selfsubjectreviews':
      return storage(async (ctx) => {
        const u = ctx.user;
        const userInfo = { username: u.username, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups.length ? { groups: u.groups } : {}), ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) };
        return { kind, apiVersion, metadata: { creationTimestamp: now(deps.clock) }, status: { userInfo } } as unknown as KubeObject;
      });
    case 'authorization.k8s.io/subjectaccessreviews':
    case 'authorization.k8s.io/localsubjectaccessreviews':
      return storage(async (ctx, obj) => {
        validated(obj);
        const spec: Obj = obj.spec ?? {};
        return answer(ctx, obj, accessStatus(await deps.authorizer.authorize(attributesOf(specUser(spec), spec))));
      });
    case 'authorization.k8s.io/selfsubjectaccessreviews':
      return storage(async (ctx, obj) => {
        validated(obj);
        return answer(ctx, obj, accessStatus(await deps.authorizer.authorize(attributesOf(ctx.user, obj.spec ?? {}))));
      });
    case 'authorization.k8s.io/selfsubjectrulesreviews':
      return storage(async (ctx, obj) => {
        const namespace = obj.spec?.namespace ?? '';
        if (!namespace) throw badRequest('no namespace on request');
        const r = await deps.authorizer.rulesFor(ctx.user, namespace);
        return {
          kind, apiVersion, metadata: { creationTimestamp: null }, spec: {},
          status: { resourceRules: r.resourceRules, nonResourceRules: r.nonResourceRules, incomplete: r.incomplete, ...(r.evaluationError ? { evaluationError: r.evaluationError } : {}) },
        } as unknown as KubeObject;
      });
    default:
      return undefined;
  }
}
