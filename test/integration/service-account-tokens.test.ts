/**
 * Bound ServiceAccount tokens against an in-process apiserver, with the real kubectl
 * 1.32 as first client: `kubectl create token` (TokenRequest), the token used with
 * `kubectl --token` (`auth whoami` shows the ServiceAccount user and its pod extras), a
 * pod-bound token refused once its pod is deleted, a ServiceAccount deleted, audiences,
 * TokenRequest validation and binding errors worded as upstream, TokenReview, and the
 * OIDC discovery documents whose key verifies the issued tokens.
 */
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.js';
import { writeKubeconfig } from '../../src/pki/kubeconfig.js';
import { kubectl, kubectlRaw } from '../support/kubectl.js';

describe('ServiceAccount tokens (TokenRequest, authentication, OIDC discovery)', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let kubeconfig: string;
  const cache = () => ['--cache-dir', join(server.dir, 'cache')];
  const run = (args: string[]) => kubectl(kubeconfig, [...cache(), ...args]);
  const raw = (args: string[]) => kubectlRaw(kubeconfig, [...cache(), ...args]);

  /** One HTTPS request; `token` replaces the admin client certificate. */
  const request = (method: string, path: string, body?: unknown, token?: string): Promise<{ code: number; body: any; headers: Record<string, unknown> }> => new Promise((resolve, reject) => {
    const url = new URL(path, server.api.url);
    const data = body === undefined ? undefined : JSON.stringify(body);
    const auth = token ? { headers: { Authorization: `Bearer ${token}` } } : { cert: server.pki.admin.certPem, key: server.pki.admin.keyPem, headers: {} as Record<string, string> };
    const req = https.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, ca: server.pki.ca.certPem, ...auth,
      headers: { ...auth.headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ code: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
  /** A kubeconfig whose user is only `token` (no client certificate). */
  const tokenKubeconfig = (token: string): string => {
    const path = join(server.dir, `kubeconfig-${token.slice(-12)}`);
    writeFileSync(path, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'sa',
      clusters: [{ name: 'c', cluster: { server: server.api.url, 'certificate-authority-data': Buffer.from(server.pki.ca.certPem).toString('base64') } }],
      users: [{ name: 'sa', user: { token } }], contexts: [{ name: 'sa', context: { cluster: 'c', user: 'sa' } }],
    }));
    return path;
  };
  const tokenRequest = (sa: string, spec: Record<string, unknown>, ns = 'default') =>
    request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

  before(async () => {
    server = await startTestApiServer('sa-tokens');
    kubeconfig = join(server.dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem });
    for (const ns of ['default', 'other']) await raw(['create', 'namespace', ns]);
    await run(['create', 'serviceaccount', 'robot']);
    await run(['create', 'serviceaccount', 'other-sa']);
  });
  after(async () => { await server?.close(); });

  it('kubectl create token issues a JWT the apiserver accepts as the ServiceAccount', async () => {
    const token = (await run(['create', 'token', 'robot', '--duration=20m'])).trim();
    const claims = decodeJwt(token) as Record<string, any>;
    assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(claims.exp - claims.iat, 1200);
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    const sa = JSON.parse(await run(['get', 'sa', 'robot', '-o', 'json']));
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } });
    const whoami = await kubectl(tokenKubeconfig(token), [...cache(), 'auth', 'whoami', '-o', 'json']);
    const status = JSON.parse(whoami).status.userInfo;
    assert.equal(status.username, 'system:serviceaccount:default:robot');
    assert.deepEqual(status.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.equal(status.uid, sa.metadata.uid);
    assert.deepEqual(status.extra['authentication.kubernetes.io/credential-id'], [`JTI=${claims.jti}`]);
    // A token, not the client certificate, made the request: a list works with it alone.
    assert.equal((await request('GET', '/api/v1/namespaces/default/serviceaccounts', undefined, token)).code, 200);
  });

  it('TokenRequest defaults, validation and binding errors are worded as upstream', async () => {
    const ok = await tokenRequest('robot', {});
    assert.equal(ok.code, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.kind, 'TokenRequest');
    assert.equal(ok.body.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(ok.body.spec.expirationSeconds, 3600);
    assert.deepEqual(ok.body.spec.audiences, ['https://kubernetes.default.svc.cluster.local']);
    assert.ok(Math.abs(Date.parse(ok.body.status.expirationTimestamp) - Date.now() - 3600_000) < 5_000);

    const short = await tokenRequest('robot', { expirationSeconds: 60 });
    assert.equal(short.code, 422);
    assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "robot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const missing = await tokenRequest('nobody', {});
    assert.equal(missing.code, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
    const cm = await tokenRequest('robot', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } });
    assert.equal(cm.code, 400);
    assert.equal(cm.body.message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
    const badType = await request('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { spec: { expirationSeconds: 'long' } });
    assert.equal(badType.code, 400);

    await run(['run', 'other-pod', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"other-sa"}}']);
    const wrongSA = await tokenRequest('robot', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other-pod' } });
    assert.equal(wrongSA.code, 400);
    assert.equal(wrongSA.body.message, 'cannot bind token for serviceaccount "robot" to pod running with serviceaccount "other-sa"');
    const wrongUid = await tokenRequest('other-sa', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other-pod', uid: 'not-the-uid' } });
    assert.equal(wrongUid.code, 409);
    assert.match(wrongUid.body.message, /the UID in the bound object reference \(not-the-uid\) does not match the UID in record \(.+\)\. The object might have been deleted and then recreated/);
    const dry = await request('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token?dryRun=All', { spec: {} });
    assert.equal(dry.code, 201);
    assert.equal(dry.body.status, undefined, 'a dry run issues no token');
  });

  it('a pod-bound token carries the pod and stops working when the pod is deleted', async () => {
    await run(['run', 'bound', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"robot","nodeName":"node-a"}}']);
    const pod = JSON.parse(await run(['get', 'pod', 'bound', '-o', 'json']));
    const token = (await run(['create', 'token', 'robot', '--bound-object-kind=Pod', '--bound-object-name=bound'])).trim();
    const claims = decodeJwt(token) as Record<string, any>;
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'bound', uid: pod.metadata.uid });

    const review = await request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    assert.equal(review.body.status.authenticated, true);
    assert.deepEqual(review.body.status.user.extra['authentication.kubernetes.io/pod-name'], ['bound']);
    assert.deepEqual(review.body.status.user.extra['authentication.kubernetes.io/pod-uid'], [pod.metadata.uid]);
    assert.deepEqual(review.body.status.audiences, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal((await request('GET', '/api/v1/namespaces/default/pods', undefined, token)).code, 200);

    await run(['delete', 'pod', 'bound', '--grace-period=0', '--force']);
    const refused = await request('GET', '/api/v1/namespaces/default/pods', undefined, token);
    assert.equal(refused.code, 401);
    assert.equal(refused.body.message, 'Unauthorized');
    const after = await request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token } });
    assert.equal(after.body.status.authenticated, undefined);
    assert.equal(after.body.status.error, 'service account token has been invalidated');
    const r = await kubectlRaw(tokenKubeconfig(token), [...cache(), 'get', 'pods']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unauthorized|must be logged in/);
  });

  it('audiences: a token for another audience is refused by the apiserver, accepted by a TokenReview for it', async () => {
    const token = (await run(['create', 'token', 'robot', '--audience=vault'])).trim();
    assert.equal((await request('GET', '/api/v1/namespaces', undefined, token)).code, 401);
    const review = await request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token, audiences: ['vault', 'other'] } });
    assert.equal(review.body.status.authenticated, true);
    assert.deepEqual(review.body.status.audiences, ['vault']);
    const wrong = await request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token } });
    assert.equal(wrong.body.status.error, 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]');
  });

  it('a token of a deleted ServiceAccount, or a garbage bearer token, gets 401', async () => {
    await run(['create', 'serviceaccount', 'short-lived']);
    const token = (await run(['create', 'token', 'short-lived'])).trim();
    assert.equal((await request('GET', '/api/v1/namespaces', undefined, token)).code, 200);
    await run(['delete', 'serviceaccount', 'short-lived']);
    assert.equal((await request('GET', '/api/v1/namespaces', undefined, token)).code, 401);
    const review = await request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token } });
    assert.equal(review.body.status.error, 'serviceaccounts "short-lived" not found');
    assert.equal((await request('GET', '/api/v1/namespaces', undefined, 'not-a-jwt')).code, 401);
    // Public paths stay public without credentials, but an invalid token is refused there too (no anonymous fallback).
    assert.equal((await request('GET', '/version', undefined, 'not-a-jwt')).code, 401);
    // A token signed by another key under the same issuer: refused.
    const forged = token.slice(0, token.lastIndexOf('.') + 1) + Buffer.from('forged-signature').toString('base64url');
    assert.equal((await request('GET', '/api/v1/namespaces', undefined, forged)).code, 401);
  });

  it('serves the OIDC discovery document and the JWKS that verifies issued tokens', async () => {
    const conf = await request('GET', '/.well-known/openid-configuration');
    assert.equal(conf.code, 200);
    assert.equal(conf.headers['content-type'], 'application/json');
    assert.equal(conf.headers['cache-control'], 'public, max-age=3600');
    assert.equal(conf.body.issuer, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(conf.body.jwks_uri, `https://127.0.0.1:${new URL(server.api.url).port}/openid/v1/jwks`);
    assert.deepEqual(conf.body.id_token_signing_alg_values_supported, ['RS256']);
    const jwks = await request('GET', '/openid/v1/jwks');
    assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
    const token = (await run(['create', 'token', 'robot'])).trim();
    assert.equal(decodeProtectedHeader(token).kid, jwks.body.keys[0].kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body), { issuer: conf.body.issuer });
    assert.equal(payload.sub, 'system:serviceaccount:default:robot');
    writeFileSync(join(server.dir, 'jwks.json'), JSON.stringify(jwks.body));
  });

  it('discovery lists serviceaccounts/token as a TokenRequest subresource', async () => {
    const list = JSON.parse(await run(['get', '--raw', '/api/v1']));
    const sub = list.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual({ group: sub.group, version: sub.version, kind: sub.kind, verbs: sub.verbs }, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  });
});
