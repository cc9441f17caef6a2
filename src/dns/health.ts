/**
 * The health and readiness endpoints of the DNS server (CoreDNS `health` on :8080
 * `/health` and `ready` on :8181 `/ready`): `/health` answers 200 `OK` while the
 * process serves; `/ready` answers 200 `OK` once `ready()` holds (informers synced),
 * 503 before. Both servers may share one port. Port 0 picks a free port.
 */
import http from 'node:http';

/** Options: bind host, ports (undefined → not started) and the readiness predicate. */
export interface HealthOptions { host?: string; healthPort?: number; readyPort?: number; ready: () => boolean }

/** The bound ports (undefined when not started) and `close()`. */
export interface HealthServers { healthPort?: number; readyPort?: number; close(): Promise<void> }

/** Starts the endpoints; rejects if a port cannot be bound. */
export async function startHealthServers(opts: HealthOptions): Promise<HealthServers> {
  const host = opts.host ?? '0.0.0.0';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') { res.writeHead(200, { 'content-type': 'text/plain' }).end('OK'); return; }
    if (path === '/ready') {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'OK' : 'not ready');
      return;
    }
    res.writeHead(404).end();
  };
  const servers: http.Server[] = [];
  const listen = async (port: number): Promise<number> => {
    const s = http.createServer(handler);
    await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, host, () => { s.off('error', reject); resolve(); }); });
    servers.push(s);
    return (s.address() as import('node:net').AddressInfo).port;
  };
  try {
    const healthPort = opts.healthPort === undefined ? undefined : await listen(opts.healthPort);
    const readyPort = opts.readyPort === undefined ? undefined
      : opts.readyPort !== 0 && opts.readyPort === opts.healthPort ? healthPort : await listen(opts.readyPort);
    return { healthPort, readyPort, close: () => closeAll(servers) };
  } catch (err) {
    await closeAll(servers);
    throw err;
  }
}

const closeAll = (servers: http.Server[]): Promise<void> =>
  Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }))).then(() => {});
