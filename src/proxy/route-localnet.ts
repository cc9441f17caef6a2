/**
 * The `route_localnet` sysctl kube-proxy needs so that locally generated traffic to
 * 127.0.0.1:<nodePort> can be DNATed to a pod (upstream's iptables proxier sets
 * net.ipv4.conf.all.route_localnet=1 in pkg/proxy/iptables/proxier.go; see
 * RUNTIME-NOTES.md "NodePorts on 127.0.0.1").
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The real sysctl file. */
export const ROUTE_LOCALNET_PATH = '/proc/sys/net/ipv4/conf/all/route_localnet';

/**
 * Sets the sysctl at `path` (a file holding `0` or `1`) to `1` and returns a function that
 * puts back the value read before, at most once. When the value already was `1` nothing is
 * written and the returned function does nothing, so a setting made by someone else stays.
 * Throws the fs error (ENOENT, EACCES) if the file cannot be read or written.
 */
export function enableRouteLocalnet(path: string = ROUTE_LOCALNET_PATH): () => void {
  const previous = readFileSync(path, 'utf8').trim();
  if (previous === '1') return () => {};
  writeFileSync(path, '1');
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    writeFileSync(path, previous);
  };
}
