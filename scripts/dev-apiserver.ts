// Dev helper: runs only the apiserver on a temp data dir (no components). Usage: npx tsx scripts/dev-apiserver.ts <dir> <port>
import { ensurePki } from '../src/pki/pki.js';
import { writeKubeconfig } from '../src/pki/kubeconfig.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { createRegistry } from '../src/apiserver/registry/index.js';
import { startApiServer } from '../src/apiserver/server.js';

const [dir, port] = [process.argv[2], Number(process.argv[3] ?? 0)];
const pki = await ensurePki(`${dir}/tls`);
const storage = await openSqliteStorage({ path: `${dir}/db/state.db` });
const registry = createRegistry(storage);
const s = await startApiServer({ registry, pki, port });
writeKubeconfig(`${dir}/kubeconfig.yaml`, { server: s.url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
const ns = registry.lookup('', 'v1', 'namespaces')!;
for (const n of ['default', 'kube-system']) await ns.create!({ user: { username: 'x', groups: [] }, namespace: '' }, { metadata: { name: n } }).catch(() => {});
console.log('ready', s.url);
