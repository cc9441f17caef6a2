/**
 * POST serviceaccounts/{name}/token (upstream pkg/registry/core/serviceaccount/storage/
 * token.go; API reference "TokenRequest v1 authentication.k8s.io"): issues a bound
 * ServiceAccount token. The body is an authentication.k8s.io/v1 TokenRequest;
 * `spec.expirationSeconds` defaults to 3600 and must be 600 … 2^32, `spec.audiences`
 * defaults to the API audiences, `spec.boundObjectRef` may name a Pod (running as this
 * ServiceAccount), a Secret or a Node, whose uid (when given) must match the live one.
 * A pod-bound token also carries the pod's Node. As upstream's default
 * `--service-account-extend-token-expiration`, a pod-bound token asked for 3607 s for the
 * API audiences (the kubelet's projected token) lives a year and warns after 3607 s;
 * `status.expirationTimestamp` still says the requested expiry, so it is refreshed on time.
 * Answers 201 with the TokenRequest and `status.token`; a dry run issues no token.
 */
import type { KubeObject } from '../../api/object.js';
import { badRequest, conflict, invalid, notFound } from '../../machinery/errors.js';
import { rfc3339 } from '../../machinery/time.js';
import type { FieldError } from '../../machinery/field-errors.js';
import { EXPIRATION_EXTENSION_SECONDS, WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, type ServiceAccountTokens } from '../authn/service-account-token.js';
import type { GenericStore } from './store.js';
import type { RequestContext, RestStorage } from './rest.js';

interface TokenRequest extends KubeObject {
  spec?: { audiences?: string[] | null; expirationSeconds?: number | null; boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null };
  status?: { token: string; expirationTimestamp: string };
}

const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** The stores a token can be bound to; each optional when its kind is not served. */
export interface TokenRequestStores { pods?: GenericStore; secrets?: GenericStore; nodes?: GenericStore }

/** upstream schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap`. */
function gvkString(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return `${group}/${version}, Kind=${kind}`;
}

/** The `serviceaccounts/token` storage over the ServiceAccount store. */
export function tokenRequestStorage(serviceAccounts: GenericStore, stores: TokenRequestStores, tokens: ServiceAccountTokens, clock: () => Date): RestStorage {
  return {
    info: serviceAccounts.info, subresource: 'token',
    returnsKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, bodyMessage: 'k8s.io.api.authentication.v1.TokenRequest',
    async create(ctx: RequestContext, obj: KubeObject, name?: string) {
      if (!name) throw badRequest('name is required for a token request');
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the request body must be a JSON object');
      const req = structuredClone(obj) as TokenRequest;
      const md = (req.metadata && typeof req.metadata === 'object') ? req.metadata : {};
      const errs: FieldError[] = [];
      if (md.name && md.name !== name) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: md.name, detail: 'must match the service account name if specified' });
      if (md.namespace && md.namespace !== ctx.namespace) errs.push({ type: 'FieldValueInvalid', field: 'metadata.namespace', badValue: md.namespace, detail: 'must match the service account namespace if specified' });
      if (errs.length) throw invalid('authentication.k8s.io', 'TokenRequest', name, errs);
      const spec = req.spec ?? {};
      const expirationSeconds = spec.expirationSeconds ?? 3600;
      if (expirationSeconds < MIN_EXPIRATION_SECONDS) errs.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', badValue: expirationSeconds, detail: 'may not specify a duration less than 10 minutes' });
      if (expirationSeconds > MAX_EXPIRATION_SECONDS) errs.push({ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', badValue: expirationSeconds, detail: 'may not specify a duration larger than 2^32 seconds' });
      if (errs.length) throw invalid('authentication.k8s.io', 'TokenRequest', name, errs);

      const sa = await serviceAccounts.get(ctx, name);
      let pod: KubeObject | undefined; let secret: KubeObject | undefined; let node: KubeObject | undefined;
      const refObj = spec.boundObjectRef;
      if (refObj) {
        const apiVersion = refObj.apiVersion ?? ''; const kind = refObj.kind ?? '';
        const core = apiVersion === 'v1' || apiVersion === '';
        const get = async (store: GenericStore | undefined, ns: string, n: string): Promise<KubeObject> => {
          if (!store) throw notFound({ group: '', resource: kind.toLowerCase() + 's' }, n);
          return store.get({ ...ctx, namespace: ns }, n);
        };
        if (core && kind === 'Pod') {
          pod = await get(stores.pods, ctx.namespace, refObj.name ?? '');
          const podSA = (pod as { spec?: { serviceAccountName?: string } }).spec?.serviceAccountName ?? '';
          if (podSA !== name) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with serviceaccount "${podSA}"`);
          const nodeName = (pod as { spec?: { nodeName?: string } }).spec?.nodeName;
          if (nodeName && stores.nodes) node = await stores.nodes.get({ ...ctx, namespace: '' }, nodeName).catch(() => undefined);
        } else if (core && kind === 'Secret') {
          secret = await get(stores.secrets, ctx.namespace, refObj.name ?? '');
        } else if (core && kind === 'Node') {
          node = await get(stores.nodes, '', refObj.name ?? '');
        } else {
          throw badRequest(`cannot bind token to object of type ${gvkString(apiVersion, kind)}`);
        }
        const bound = pod ?? secret ?? node!;
        if (refObj.uid && refObj.uid !== bound.metadata.uid) {
          throw conflict({ group: '', resource: kind }, refObj.name ?? '', `the UID in the bound object reference (${refObj.uid}) does not match the UID in record (${bound.metadata.uid}). The object might have been deleted and then recreated`);
        }
      }
      const audiences = spec.audiences?.length ? spec.audiences : tokens.apiAudiences;
      const out: TokenRequest = {
        kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
        metadata: { ...md, creationTimestamp: null } as unknown as KubeObject['metadata'],
        spec: { audiences, expirationSeconds, boundObjectRef: refObj ?? null },
      };
      if (ctx.dryRun) return out;
      const extended = !!pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && audiences.every((a) => tokens.apiAudiences.includes(a));
      const issued = await tokens.issue({
        serviceAccount: sa, audiences, pod, secret, node,
        expirationSeconds: extended ? EXPIRATION_EXTENSION_SECONDS : expirationSeconds,
        warnAfterSeconds: extended ? expirationSeconds : undefined,
      });
      out.status = { token: issued.token, expirationTimestamp: rfc3339(new Date(clock().getTime() + expirationSeconds * 1000)) };
      return out;
    },
  };
}
