import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { KubeObject } from '../../api/object.js';
import { ServiceAccountTokens, type BoundObjectGetter } from './service-account-token.js';

const keyPem = (): string => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const obj = (name: string, uid: string, namespace?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ metadata: { name, uid, ...(namespace ? { namespace } : {}), ...extra } });

function setup(objects: Record<string, KubeObject | undefined>, at: { now: number }) {
  const tokens = new ServiceAccountTokens({ keyPem: keyPem(), issuer: 'https://issuer.test', apiAudiences: ['https://issuer.test'], clock: () => new Date(at.now) });
  const getter: BoundObjectGetter = {
    serviceAccount: async (ns, n) => objects[`sa/${ns}/${n}`],
    pod: async (ns, n) => objects[`pod/${ns}/${n}`],
    secret: async (ns, n) => objects[`secret/${ns}/${n}`],
    node: async (n) => objects[`node/${n}`],
  };
  tokens.setGetter(getter);
  return tokens;
}

describe('ServiceAccount tokens', () => {
  it('expire after expirationSeconds (with the 60 s leeway), and are not valid before issue', async () => {
    const at = { now: Date.parse('2026-01-01T00:00:00Z') };
    const sa = obj('robot', 'u1', 'ns');
    const tokens = setup({ 'sa/ns/robot': sa }, at);
    const { token, expiration } = await tokens.issue({ serviceAccount: sa, audiences: ['https://issuer.test'], expirationSeconds: 600 });
    assert.equal(expiration.toISOString(), '2026-01-01T00:10:00.000Z');
    assert.equal((await tokens.authenticateToken(token, []))?.user.username, 'system:serviceaccount:ns:robot');
    at.now += 600_000 + 30_000;
    assert.ok(await tokens.authenticateToken(token, []), 'inside the leeway');
    at.now += 60_000;
    await assert.rejects(tokens.authenticateToken(token, []), { message: 'service account token has expired' });
    at.now = Date.parse('2025-12-31T23:55:00Z');
    await assert.rejects(tokens.authenticateToken(token, []), { message: 'service account token is not valid yet' });
  });

  it('a token of another issuer or not a JWT is not ours (undefined), a ServiceAccount re-created under the same name is refused', async () => {
    const at = { now: Date.now() };
    const sa = obj('robot', 'u1', 'ns');
    const objects: Record<string, KubeObject | undefined> = { 'sa/ns/robot': sa };
    const tokens = setup(objects, at);
    const other = new ServiceAccountTokens({ keyPem: keyPem(), issuer: 'https://elsewhere', apiAudiences: ['x'] });
    const foreign = (await other.issue({ serviceAccount: sa, audiences: ['x'], expirationSeconds: 600 })).token;
    assert.equal(await tokens.authenticateToken(foreign, []), undefined);
    assert.equal(await tokens.authenticateToken('abc.def', []), undefined);
    const { token } = await tokens.issue({ serviceAccount: sa, audiences: [], expirationSeconds: 600 });
    objects['sa/ns/robot'] = obj('robot', 'u2', 'ns');
    await assert.rejects(tokens.authenticateToken(token, []), { message: 'service account UID (u2) does not match claim (u1)' });
    objects['sa/ns/robot'] = obj('robot', 'u1', 'ns', { deletionTimestamp: new Date(at.now - 120_000).toISOString() });
    await assert.rejects(tokens.authenticateToken(token, []), { message: 'service account ns/robot has been deleted' });
  });

  it('pod-bound tokens carry the pod and its node; Node-bound tokens need the live Node; warnafter is set for extended tokens', async () => {
    const at = { now: Date.now() };
    const sa = obj('robot', 'u1', 'ns');
    const pod = obj('p', 'pu', 'ns');
    const node = obj('n1', 'nu');
    const objects: Record<string, KubeObject | undefined> = { 'sa/ns/robot': sa, 'pod/ns/p': pod, 'node/n1': node };
    const tokens = setup(objects, at);
    const bound = await tokens.issue({ serviceAccount: sa, audiences: [], expirationSeconds: 3600, pod, node, warnAfterSeconds: 3607 });
    const claims = decodeJwt(bound.token) as Record<string, any>;
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'n1', uid: 'nu' });
    assert.equal(claims['kubernetes.io'].warnafter, Math.floor(at.now / 1000) + 3607);
    const user = (await tokens.authenticateToken(bound.token, []))!.user;
    assert.deepEqual(user.extra?.['authentication.kubernetes.io/node-name'], ['n1']);
    objects['pod/ns/p'] = obj('p', 'other', 'ns');
    await assert.rejects(tokens.authenticateToken(bound.token, []), { message: 'pod UID (other) does not match service account pod ref claim (pu)' });

    const nodeBound = await tokens.issue({ serviceAccount: sa, audiences: [], expirationSeconds: 3600, node });
    assert.ok(await tokens.authenticateToken(nodeBound.token, []));
    objects['node/n1'] = undefined;
    await assert.rejects(tokens.authenticateToken(nodeBound.token, []), { message: 'service account token has been invalidated' });
  });
});
