/**
 * Pure StatefulSet helpers: ordinals from names, pod identity and storage, the
 * revision patch round trip, and the claim ownerReferences for each retention policy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSet } from '../../api/apps/v1/stateful-set.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  applyRevision, claimOwnerRefs, claimsFor, identityMatches, newStatefulSetPod, ordinalInRange, podOrdinal, revisionData, storageMatches,
} from './stateful-set-utils.js';

const set = (spec: Record<string, unknown> = {}): StatefulSet => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'set-uid' },
  spec: {
    replicas: 2, serviceName: 'svc', selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'www', emptyDir: {} }, { name: 'cfg', emptyDir: {} }] } },
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    ...spec,
  },
});

describe('stateful-set-utils', () => {
  it('podOrdinal parses <set>-<n> only', () => {
    assert.equal(podOrdinal('web', 'web-0'), 0);
    assert.equal(podOrdinal('web', 'web-12'), 12);
    assert.equal(podOrdinal('web', 'web-01'), -1);
    assert.equal(podOrdinal('web', 'web-x'), -1);
    assert.equal(podOrdinal('web', 'webx-1'), -1);
    assert.equal(podOrdinal('web', 'web-a-1'), -1);
  });
  it('ordinal range follows spec.ordinals.start', () => {
    const s = set({ ordinals: { start: 3 } });
    assert.deepEqual([2, 3, 4, 5].map((o) => ordinalInRange(s, o)), [false, true, true, false]);
  });
  it('new pods: identity, hostname/subdomain, claim volume first replacing the template volume', () => {
    const s = set();
    const p = newStatefulSetPod(s, 1, 'web-rev');
    assert.equal(p.metadata.name, 'web-1');
    assert.deepEqual(p.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': 'web-rev' });
    assert.equal(p.spec?.hostname, 'web-1');
    assert.equal(p.spec?.subdomain, 'svc');
    assert.deepEqual(p.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }, { name: 'cfg', emptyDir: {} }]);
    assert.ok(identityMatches(s, p, 1) && storageMatches(s, p, 1));
    assert.ok(!identityMatches(s, p, 2) && !storageMatches(s, p, 2));
    assert.equal(claimsFor(s, 1).get('www')!.metadata.name, 'www-web-1');
    assert.deepEqual(claimsFor(s, 1).get('www')!.metadata.labels, { app: 'web' });
  });
  it('revision data round-trips the template', () => {
    const s = set();
    const d = revisionData(s);
    assert.equal(d.spec.template.$patch, 'replace');
    const back = applyRevision(set({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } }), { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: {}, data: d, revision: 1 });
    assert.deepEqual(back.spec.template, s.spec.template);
  });
  it('claim owners for each retention policy', () => {
    const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, uid: `${name}-uid` } });
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', ownerReferences: [{ apiVersion: 'x/v1', kind: 'Other', name: 'o', uid: 'o' }] } };
    const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid' };
    const other = claim.metadata.ownerReferences[0];
    const policy = (whenDeleted: string, whenScaled: string) => set({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
    assert.equal(claimOwnerRefs(claim, policy('Retain', 'Retain'), pod('web-0'), 0), undefined);
    assert.deepEqual(claimOwnerRefs(claim, policy('Delete', 'Retain'), pod('web-0'), 0), [other, setRef]);
    assert.deepEqual(claimOwnerRefs(claim, policy('Delete', 'Retain'), pod('web-5'), 5), [other, setRef]);
    assert.equal(claimOwnerRefs(claim, policy('Retain', 'Delete'), pod('web-0'), 0), undefined);
    assert.deepEqual(claimOwnerRefs(claim, policy('Retain', 'Delete'), pod('web-5'), 5), [other, { apiVersion: 'v1', kind: 'Pod', name: 'web-5', uid: 'web-5-uid' }]);
    assert.deepEqual(claimOwnerRefs(claim, policy('Delete', 'Delete'), pod('web-5'), 5), [other, { apiVersion: 'v1', kind: 'Pod', name: 'web-5', uid: 'web-5-uid' }]);
    // Back to Retain/Retain: this set's reference is removed again.
    assert.deepEqual(claimOwnerRefs({ ...claim, metadata: { ...claim.metadata, ownerReferences: [other, setRef] } }, policy('Retain', 'Retain'), pod('web-0'), 0), [other]);
  });
});
