import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerMounts, memoryEmptyDirSize, prepareVolumes, removePodDir } from './volumes.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'k8ts-vols-'));

it('configMap volumes update in place, atomically, when prepareVolumes runs again', async () => {
  const dir = tmp();
  let data: Record<string, string> = { 'app.conf': 'v=1', other: 'x' };
  const sources = { configMap: async () => ({ data }), secret: async () => undefined };
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [], volumes: [{ name: 'cfg', configMap: { name: 'cm' } }] } };
  try {
    const root = (await prepareVolumes(pod as never, dir, sources as never)).get('cfg')!;
    assert.equal(readFileSync(join(root, 'app.conf'), 'utf8'), 'v=1');
    assert.equal(readlinkSync(join(root, 'app.conf')), '..data/app.conf');
    const before = readlinkSync(join(root, '..data'));
    data = { 'app.conf': 'v=2' };
    await prepareVolumes(pod as never, dir, sources as never);
    assert.equal(readFileSync(join(root, 'app.conf'), 'utf8'), 'v=2');
    assert.notEqual(readlinkSync(join(root, '..data')), before);
    assert.throws(() => statSync(join(root, 'other')));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('emptyDir: 0777 on disk; medium Memory is a tmpfs sized by sizeLimit, pod limit or node memory, mounted once', async () => {
  const dir = tmp();
  const mounted: Array<[string, number]> = [];
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '256Mi' } } }], volumes: [
    { name: 'disk', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory' } }, { name: 'small', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  ] } };
  try {
    const opts = { allocatable: { memory: '8Gi' }, mountTmpfs: (d: string, n: number) => mounted.push([d.slice(dir.length), n]), isMounted: (d: string) => mounted.some(([m]) => dir + m === d) };
    const vols = await prepareVolumes(pod as never, dir, {} as never, opts);
    assert.equal(statSync(vols.get('disk')!).mode & 0o777, 0o777);
    assert.deepEqual(mounted, [['/volumes/mem', 256 * 2 ** 20], ['/volumes/small', 64 * 2 ** 20]]);
    await prepareVolumes(pod as never, dir, {} as never, opts);
    assert.equal(mounted.length, 2);
    assert.equal(memoryEmptyDirSize({ spec: { containers: [{ name: 'c' }] } } as never, undefined, { memory: '8Gi' }), 8 * 2 ** 30);
    // Pod removal unmounts what lies under the pod dir, deepest first, then removes it.
    const unmounted: string[] = [];
    removePodDir(dir, (d) => unmounted.push(d), () => [dir + '/volumes/mem', '/elsewhere', dir + '/volumes/small/x', dir + 'sibling/y']);
    assert.deepEqual(unmounted, [dir + '/volumes/small/x', dir + '/volumes/mem']);
    assert.throws(() => statSync(dir));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('downwardAPI volume resourceFieldRef items; /etc/hosts mount unless the container mounts one', async () => {
  const dir = tmp();
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '128Mi' } } }], volumes: [{ name: 'info', downwardAPI: { items: [
    { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
    { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
  ] } }] } };
  try {
    const vols = await prepareVolumes(pod as never, dir, {} as never, { allocatable: { cpu: '4' } });
    assert.equal(readFileSync(join(vols.get('info')!, 'mem'), 'utf8'), '128');
    assert.equal(readFileSync(join(vols.get('info')!, 'cpu'), 'utf8'), '4000');
    const m = containerMounts({ name: 'c', volumeMounts: [{ name: 'info', mountPath: '/info' }] } as never, vols, '/pods/u/etc-hosts');
    assert.deepEqual(m.map((x) => x.containerPath), ['/info', '/etc/hosts']);
    const own = containerMounts({ name: 'c', volumeMounts: [{ name: 'info', mountPath: '/etc/hosts', subPath: 'mem' }] } as never, vols, '/pods/u/etc-hosts');
    assert.deepEqual(own.map((x) => x.containerPath), ['/etc/hosts']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

it('medium Memory for real (root only): a tmpfs of the size, gone after removePodDir', { skip: process.getuid?.() !== 0 }, async () => {
  const { mountPoints } = await import('./volumes.js');
  const { realpathSync } = await import('node:fs');
  const dir = tmp();
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c' }], volumes: [{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '4Mi' } }] } };
  try {
    try { await prepareVolumes(pod as never, dir, {} as never, { allocatable: { memory: '1Gi' } }); } catch (err) { if (/permission|not permitted/i.test(String(err))) return; throw err; }
    const target = realpathSync(join(dir, 'volumes', 'mem'));
    const line = readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === target)!;
    assert.match(line, /^tmpfs \S+ tmpfs .*size=4096k/);
    await prepareVolumes(pod as never, dir, {} as never, { allocatable: { memory: '1Gi' } });
    assert.equal(mountPoints().filter((m) => m === target).length, 1);
    removePodDir(dir);
    assert.equal(mountPoints().includes(target), false);
  } finally { for (const m of mountPoints().filter((x) => x.startsWith(dir))) { try { (await import('node:child_process')).execFileSync('umount', ['-l', m]); } catch { /* */ } } rmSync(dir, { recursive: true, force: true }); }
});

it('configMap volumes: binaryData keys as bytes; an item naming a missing key fails unless optional', async () => {
  const dir = tmp();
  const sources = { configMap: async () => ({ data: { a: 'x' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } }), secret: async () => undefined };
  const pod = (configMap: object) => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [], volumes: [{ name: 'cfg', configMap }] } }) as never;
  try {
    const root = (await prepareVolumes(pod({ name: 'cm' }), dir, sources as never)).get('cfg')!;
    assert.deepEqual([...readFileSync(join(root, 'bin'))], [0, 1, 2]);
    await assert.rejects(prepareVolumes(pod({ name: 'cm', items: [{ key: 'nope', path: 'n' }] }), dir, sources as never), /configmap references non-existent config key: nope/);
    await prepareVolumes(pod({ name: 'cm', optional: true, items: [{ key: 'nope', path: 'n' }, { key: 'a', path: 'sub/a' }] }), dir, sources as never);
    assert.equal(readFileSync(join(root, 'sub/a'), 'utf8'), 'x');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
