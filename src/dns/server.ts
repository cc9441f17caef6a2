/**
 * The DNS listeners: UDP and TCP on one host/port (RFC 1035 §4.2; TCP messages carry a
 * two-byte length prefix, §4.2.2, and a connection may carry many queries, RFC 7766).
 * Queries go to a {@link QueryHandler}; with `log`, each one produces a line in the
 * style of CoreDNS's `log` plugin:
 *   [INFO] 127.0.0.1:52436 - 43141 "A IN web.default.svc.cluster.local. udp 58 false 512" NOERROR qr,aa,rd 106 0.000184s
 * Nothing thrown by a handler or a malformed message escapes a socket callback.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import type { QueryHandler, Transport } from './handler.js';
import { flagsText, parseQuery, qtypeName, RCODE_NAMES } from './wire.js';

/** Server options. `port` 0 picks a free port (the same number for UDP and TCP). `log` receives one line per query. */
export interface DnsServerOptions {
  host?: string;
  port?: number;
  handler: QueryHandler;
  log?: (line: string) => void;
  /** Idle timeout of a TCP connection in ms (default 10,000, as CoreDNS). */
  tcpIdleMs?: number;
}

/** A running server: the bound address and `close()` (stops both listeners and open TCP connections). */
export interface DnsServer { host: string; port: number; close(): Promise<void> }

/**
 * Replies go to the IP literal a query came from: answering the lookup synchronously
 * spares dgram's default (dns.lookup, one deferred callback per datagram sent).
 */
const literalLookup = ((address: string, opts: unknown, cb: (err: Error | null, address: string, family: number) => void): void => {
  const callback = typeof opts === 'function' ? opts as typeof cb : cb;
  const family = net.isIP(address);
  if (family) callback(null, address, family);
  else dns.lookup(address, (err, a, f) => callback(err, a, f));
}) as unknown as dgram.SocketOptions['lookup'];

/** Starts UDP and TCP listeners; rejects if the port cannot be bound. */
export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const host = opts.host ?? '0.0.0.0';
  const family = net.isIPv6(host) ? 'udp6' : 'udp4';
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket({ type: family, reuseAddr: false, lookup: literalLookup });
    await new Promise<void>((resolve, reject) => { udp.once('error', reject); udp.bind(opts.port ?? 53, host, () => { udp.off('error', reject); resolve(); }); });
    const port = udp.address().port;
    try { udp.setRecvBufferSize(4 << 20); udp.setSendBufferSize(4 << 20); } catch { /* capped by the kernel: keep its default */ }
    const tcp = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => { tcp.once('error', reject); tcp.listen(port, host, () => { tcp.off('error', reject); resolve(); }); });
    } catch (err) {
      udp.close();
      if ((opts.port ?? 53) === 0 && attempt < 10 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw err;
    }
    return serve(udp, tcp, host, port, opts);
  }
}

function serve(udp: dgram.Socket, tcp: net.Server, host: string, port: number, opts: DnsServerOptions): DnsServer {
  const { handler, log } = opts;
  const idle = opts.tcpIdleMs ?? 10_000;
  const conns = new Set<net.Socket>();

  const logLine = (msg: Buffer, reply: Buffer | undefined, address: string, rport: number, proto: Transport, start: bigint): void => {
    if (!log || !reply) return;
    try {
      const q = parseQuery(msg);
      const id = msg.readUInt16BE(0);
      const flags = reply.length >= 4 ? reply.readUInt16BE(2) : 0;
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      const question = typeof q === 'number' ? '- - - ' : `${qtypeName(q.qtype)} ${q.qclass === 1 ? 'IN' : `CLASS${q.qclass}`} ${q.name}. `;
      const bufsize = proto === 'tcp' ? 65535 : typeof q === 'number' ? 512 : Math.max(512, q.ednsSize);
      const dnssec = typeof q !== 'number' && q.dnssecOk;
      const client = address.includes(':') ? `[${address}]` : address;
      log(`[INFO] ${client}:${rport} - ${id} "${question}${proto} ${msg.length} ${dnssec} ${bufsize}" ${RCODE_NAMES[flags & 0xf] ?? `RCODE${flags & 0xf}`} ${flagsText(flags)} ${reply.length} ${secs.toFixed(9).replace(/0+$/, '').replace(/\.$/, '.0')}s`);
    } catch { /* logging never breaks serving */ }
  };

  udp.on('message', (msg, rinfo) => {
    try {
      const start = log ? process.hrtime.bigint() : 0n;
      const r = handler.handle(msg, 'udp');
      if (r instanceof Promise) {
        r.then((reply) => {
          if (!reply) return;
          try { udp.send(reply, rinfo.port, rinfo.address); } catch { return; } // closed meanwhile
          logLine(msg, reply, rinfo.address, rinfo.port, 'udp', start);
        }, () => {});
      } else if (r) {
        udp.send(r, rinfo.port, rinfo.address); // send errors surface as 'error' events, handled below
        if (log) logLine(msg, r, rinfo.address, rinfo.port, 'udp', start);
      }
    } catch { /* the handler never throws; a closed socket may */ }
  });
  udp.on('error', () => { /* keep serving */ });

  tcp.on('connection', (sock) => {
    conns.add(sock);
    sock.setNoDelay(true);
    sock.setTimeout(idle, () => sock.destroy());
    sock.on('close', () => conns.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const start = log ? process.hrtime.bigint() : 0n;
        const send = (reply: Buffer | undefined): void => {
          if (!reply || sock.destroyed) return;
          const prefix = Buffer.allocUnsafe(2);
          prefix.writeUInt16BE(reply.length, 0);
          try { sock.write(Buffer.concat([prefix, reply])); } catch { return; }
          logLine(msg, reply, sock.remoteAddress ?? '', sock.remotePort ?? 0, 'tcp', start);
        };
        try {
          const r = handler.handle(msg, 'tcp');
          if (r instanceof Promise) r.then(send, () => {}); else send(r);
        } catch { /* never */ }
      }
    });
  });
  tcp.on('error', () => { /* keep serving */ });

  return {
    host, port,
    close: async () => {
      for (const c of conns) c.destroy();
      await Promise.all([
        new Promise<void>((r) => tcp.close(() => r())),
        new Promise<void>((r) => { try { udp.close(() => r()); } catch { r(); } }),
      ]);
    },
  };
}
