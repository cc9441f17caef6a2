/**
 * Bound ServiceAccount tokens (upstream pkg/serviceaccount: jwt.go, claims.go; KEP-1205
 * bound service account tokens, KEP-4193 node/JTI claims): JWTs signed RS256 with the
 * cluster's service-account key, issued by the TokenRequest API and checked on every use
 * against the live ServiceAccount and the object the token is bound to, so a deleted
 * pod's token stops working.
 *
 * Claims as upstream: `iss`, `sub` (`system:serviceaccount:<ns>:<name>`), `aud`, `exp`,
 * `iat`, `nbf`, `jti`, and `kubernetes.io` = { namespace, serviceaccount {name, uid},
 * pod | secret | node {name, uid}, node (of a bound pod), warnafter }. The key id is
 * base64url(SHA-256(DER SubjectPublicKeyInfo)), as upstream's keyIDFromPublicKey.
 * Signing and verifying go through the `jose` library.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors as joseErrors, exportJWK, jwtVerify, type JWK } from 'jose';
import type { KubeObject } from '../../api/object.js';
import type { UserInfo } from '../registry/rest.js';
import type { Authenticator, TokenAuthentication } from './authenticator.js';

/** `warnafter` expiry of kubelet tokens that get the extended lifetime (upstream WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** The extended lifetime of such tokens: one year (upstream ExpirationExtensionSeconds). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;
/** Clock skew tolerated on `exp`/`nbf` and on deletions (go-jose's DefaultLeeway). */
const LEEWAY_SECONDS = 60;

/** A reference in the `kubernetes.io` claim. */
export interface ClaimRef { name: string; uid: string }

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ClaimRef;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  /** Seconds since the epoch after which use of the token is "stale" (extended tokens only). */
  warnafter?: number;
}

/** What a token is issued for (upstream Claims()). */
export interface TokenClaimsRequest {
  serviceAccount: KubeObject;
  audiences: string[];
  /** Lifetime in seconds. */
  expirationSeconds: number;
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
  /** Seconds from now for `warnafter`; 0/undefined: none. */
  warnAfterSeconds?: number;
}

/** The live objects a token is checked against (undefined: not found). */
export interface BoundObjectGetter {
  serviceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  pod(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
  node(name: string): Promise<KubeObject | undefined>;
}

export interface ServiceAccountTokenOptions {
  /** PEM of the RSA signing key (PKCS#1 or PKCS#8). */
  keyPem: string;
  /** The `iss` of issued tokens and the one accepted (upstream --service-account-issuer). */
  issuer: string;
  /** Audiences of a token that names none, and of a request (upstream --api-audiences). */
  apiAudiences: string[];
  clock?: () => Date;
}

/** The issuer (and API audience) kubeadm and k3s configure: `--service-account-issuer`. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The cluster's token issuer for a signing key, with the default issuer and audiences. */
export const serviceAccountTokensFor = (keyPem: string): ServiceAccountTokens =>
  new ServiceAccountTokens({ keyPem, issuer: DEFAULT_SERVICE_ACCOUNT_ISSUER, apiAudiences: [DEFAULT_SERVICE_ACCOUNT_ISSUER] });

/** upstream serviceaccount.MakeUsername. */
export const serviceAccountUsername = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/** base64url(SHA-256(DER SPKI)) of a public key (upstream keyIDFromPublicKey). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

const ref = (o: KubeObject): ClaimRef => ({ name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });
const deletedBefore = (o: KubeObject, limit: number): boolean => !!o.metadata.deletionTimestamp && Date.parse(o.metadata.deletionTimestamp) < limit;

/**
 * Issues and authenticates the cluster's ServiceAccount tokens. `issue` signs a token;
 * `authenticateToken` (the Authenticator of the apiserver chain and of TokenReview)
 * answers undefined for a token that is not a JWT of this issuer and throws Error with
 * upstream's wording for one it refuses (expired, wrong audience, bound object gone).
 */
export class ServiceAccountTokens implements Authenticator {
  readonly issuer: string;
  readonly apiAudiences: string[];
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly clock: () => Date;
  private getter?: BoundObjectGetter;

  constructor(opts: ServiceAccountTokenOptions) {
    this.issuer = opts.issuer;
    this.apiAudiences = opts.apiAudiences;
    this.clock = opts.clock ?? (() => new Date());
    this.privateKey = createPrivateKey(opts.keyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** Sets where the live ServiceAccounts, pods, secrets and nodes are read (the registry's stores). */
  setGetter(getter: BoundObjectGetter): void { this.getter = getter; }

  /** Signs a token; returns it with its `exp` (Date). */
  async issue(r: TokenClaimsRequest): Promise<{ token: string; expiration: Date; jti: string }> {
    const nowS = Math.floor(this.clock().getTime() / 1000);
    const sa = r.serviceAccount;
    const k8s: KubernetesClaim = { namespace: sa.metadata.namespace ?? '', serviceaccount: ref(sa) };
    if (r.pod) { k8s.pod = ref(r.pod); if (r.node) k8s.node = ref(r.node); } else if (r.secret) k8s.secret = ref(r.secret); else if (r.node) k8s.node = ref(r.node);
    if (r.warnAfterSeconds) k8s.warnafter = nowS + r.warnAfterSeconds;
    const jti = randomUUID();
    const exp = nowS + r.expirationSeconds;
    const token = await new SignJWT({ 'kubernetes.io': k8s as unknown as Record<string, unknown> })
      .setProtectedHeader({ alg: 'RS256', kid: this.keyId })
      .setIssuer(this.issuer).setSubject(serviceAccountUsername(k8s.namespace, sa.metadata.name ?? ''))
      .setAudience(r.audiences).setIssuedAt(nowS).setNotBefore(nowS).setExpirationTime(exp).setJti(jti)
      .sign(this.privateKey);
    return { token, expiration: new Date(exp * 1000), jti };
  }

  /** Request authentication by header is the handler's (bearer tokens go through authenticateToken). */
  authenticate(): undefined { return undefined; }

  /**
   * The user of `token` for `audiences` (empty: the API audiences), as upstream's JWT
   * authenticator and claims validator. Undefined when the token is not a JWT or names
   * another issuer; throws Error when it is ours and refused.
   */
  async authenticateToken(token: string, audiences: string[]): Promise<TokenAuthentication | undefined> {
    let iss: string | undefined;
    try {
      decodeProtectedHeader(token);
      iss = decodeJwt(token).iss;
    } catch { return undefined; }
    if (iss !== this.issuer) return undefined;
    const now = this.clock();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, { issuer: this.issuer, algorithms: ['RS256'], currentDate: now, clockTolerance: LEEWAY_SECONDS }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new Error('service account token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') throw new Error('service account token is not valid yet');
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new Error('invalid signature');
      throw new Error('service account token claims could not be validated due to unexpected validation error');
    }
    const aud = payload.aud;
    const tokenAudiences = (Array.isArray(aud) ? aud : typeof aud === 'string' ? [aud] : []).map(String);
    const effective = tokenAudiences.length ? tokenAudiences : this.apiAudiences;
    const requested = audiences.length ? audiences : this.apiAudiences;
    const granted = effective.filter((a) => requested.includes(a));
    if (!granted.length && this.apiAudiences.length) {
      throw new Error(`token audiences ${goQuoteList(effective)} is invalid for the target audiences ${goQuoteList(requested)}`);
    }
    const k8s = payload['kubernetes.io'] as KubernetesClaim | undefined;
    if (!k8s || typeof k8s !== 'object' || !k8s.serviceaccount) throw new Error('service account token claims could not be validated due to unexpected private claim');
    const user = await this.validate(k8s, typeof payload.jti === 'string' ? payload.jti : undefined, now);
    return { user, audiences: granted };
  }

  /** upstream validator.Validate: the ServiceAccount and the bound object must still exist with the same uid. */
  private async validate(k8s: KubernetesClaim, jti: string | undefined, now: Date): Promise<UserInfo> {
    const g = this.getter;
    if (!g) throw new Error('service account token validation is not available');
    const limit = now.getTime() - LEEWAY_SECONDS * 1000;
    const { namespace } = k8s;
    const saRef = k8s.serviceaccount;
    const sa = await g.serviceAccount(namespace, saRef.name);
    if (!sa) throw new Error(`serviceaccounts "${saRef.name}" not found`);
    if (deletedBefore(sa, limit)) throw new Error(`service account ${namespace}/${saRef.name} has been deleted`);
    if (sa.metadata.uid !== saRef.uid) throw new Error(`service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid})`);
    const extra: Record<string, string[]> = {};
    if (k8s.secret) {
      const s = await g.secret(namespace, k8s.secret.name);
      if (!s || deletedBefore(s, limit)) throw new Error('service account token has been invalidated');
      if (s.metadata.uid !== k8s.secret.uid) throw new Error(`secret UID (${s.metadata.uid}) does not match service account secret ref claim (${k8s.secret.uid})`);
    }
    if (k8s.pod) {
      const p = await g.pod(namespace, k8s.pod.name);
      if (!p || deletedBefore(p, limit)) throw new Error('service account token has been invalidated');
      if (p.metadata.uid !== k8s.pod.uid) throw new Error(`pod UID (${p.metadata.uid}) does not match service account pod ref claim (${k8s.pod.uid})`);
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      if (!k8s.pod) {
        // A token bound to a Node itself: the Node must still exist (ServiceAccountTokenNodeBindingValidation).
        const n = await g.node(k8s.node.name);
        if (!n || deletedBefore(n, limit)) throw new Error('service account token has been invalidated');
        if (n.metadata.uid !== k8s.node.uid) throw new Error(`node UID (${n.metadata.uid}) does not match service account node ref claim (${k8s.node.uid})`);
      }
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    if (jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${jti}`];
    return {
      username: serviceAccountUsername(namespace, saRef.name),
      uid: saRef.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  }

  /** The OIDC discovery document (upstream pkg/serviceaccount/openidmetadata.go); `jwksUri` absolute. */
  openIdConfiguration(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** The JSON Web Key Set of the verification keys (RFC 7517), each with `use: sig`, `alg`, `kid`. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ use: 'sig', kty: jwk.kty, kid: this.keyId, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }
}

/** Go's `%q` of a []string: `["a" "b"]`. */
const goQuoteList = (l: string[]): string => `[${l.map((s) => JSON.stringify(s)).join(' ')}]`;
