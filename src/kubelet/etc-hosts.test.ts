import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHostsFile } from './etc-hosts.js';

const HEAD = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

it('/etc/hosts as upstream writes it: pod IP and hostname, FQDN with a subdomain, host aliases; node file for hostNetwork', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-hosts-'));
  try {
    const pod = (spec: object) => ({ metadata: { name: 'web-0', namespace: 'ns' }, spec: { containers: [], ...spec } }) as never;
    const f = ensureHostsFile(dir, pod({}), '10.244.0.5', 'cluster.local')!;
    assert.equal(readFileSync(f, 'utf8'), `${HEAD}10.244.0.5\tweb-0\n`);
    ensureHostsFile(dir, pod({ hostname: 'h', subdomain: 'svc', hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }] }), '10.244.0.6', 'cluster.local');
    assert.equal(readFileSync(f, 'utf8'), `${HEAD}10.244.0.6\th.svc.ns.svc.cluster.local\th\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`);
    const node = join(dir, 'node-hosts');
    writeFileSync(node, '127.0.0.1 localhost\n');
    ensureHostsFile(dir, pod({ hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] }), '192.168.1.2', 'cluster.local', node);
    assert.equal(readFileSync(f, 'utf8'), '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n');
    assert.equal(ensureHostsFile(dir, pod({}), '', 'cluster.local'), undefined);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
