/**
 * `--datastore-endpoint` (k3s's flag, same syntax): empty or `sqlite://[<file>]` → the
 * embedded SQLite file; `http(s)://host:port[,…]` → an etcd v3 cluster.
 */
/** A parsed `--datastore-endpoint`. */
export type DatastoreEndpoint = { kind: 'sqlite'; path: string } | { kind: 'etcd'; endpoints: string[] };

/**
 * Parses `--datastore-endpoint`; `defaultPath` is the SQLite file used when the endpoint
 * is empty or `sqlite://`. Throws Error with the accepted forms on anything else.
 */
export function parseDatastoreEndpoint(endpoint: string | undefined, defaultPath: string): DatastoreEndpoint {
  const e = (endpoint ?? '').trim();
  if (e === '' || e === 'sqlite' || e === 'sqlite://') return { kind: 'sqlite', path: defaultPath };
  if (e.startsWith('sqlite://')) return { kind: 'sqlite', path: e.slice('sqlite://'.length).replace(/\?.*$/, '') };
  const urls = e.split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length && urls.every((u) => /^https?:\/\/[^/\s]+\/?$/.test(u))) return { kind: 'etcd', endpoints: urls.map((u) => u.replace(/\/$/, '')) };
  throw new Error(`--datastore-endpoint ${JSON.stringify(endpoint)}: expected sqlite://<file> or etcd client URLs http(s)://host:port[,…]`);
}
