/**
 * Forwarding of names outside the cluster domain (CoreDNS `forward . /etc/resolv.conf`):
 * the client's query is relayed as-is to the upstreams in order, over the client's
 * transport (UDP under a fresh message id; TCP on a connection of its own); the first
 * answer is returned with the client's id. An attempt
 * times out after `timeoutMs`; when every upstream failed the caller answers SERVFAIL.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import { readFileSync } from 'node:fs';

/** An upstream resolver address. */
export interface Upstream { host: string; port: number }

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → {host, port} (port default 53); throws on garbage. */
export function parseUpstream(s: string): Upstream {
  const m = /^\[(.+)\](?::(\d+))?$/.exec(s);
  if (m) return { host: m[1], port: Number(m[2] ?? 53) };
  if (net.isIP(s)) return { host: s, port: 53 };
  const i = s.lastIndexOf(':');
  if (i > 0 && net.isIPv4(s.slice(0, i))) return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  throw new Error(`invalid upstream DNS server address ${JSON.stringify(s)}`);
}

/**
 * The `nameserver` lines of a resolv.conf (default /etc/resolv.conf), minus `exclude`
 * (this server's own addresses: a pod's resolv.conf may point at the cluster DNS) and,
 * when `exclude` contains an unspecified address (0.0.0.0 / ::), minus every local
 * interface address. Missing file → [].
 */
export function defaultUpstreams(exclude: string[] = [], path = '/etc/resolv.conf'): string[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  const skip = new Set(exclude);
  if (exclude.some((a) => a === '0.0.0.0' || a === '::')) {
    for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) skip.add(i.address);
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && net.isIP(m[1].split('%')[0]) && !skip.has(m[1])) out.push(m[1]);
  }
  return out;
}

/** Forwarder options: upstream addresses (see {@link parseUpstream}) and the per-attempt timeout in ms (default 2000). */
export interface ForwarderOptions { upstreams: string[]; timeoutMs?: number }

interface Pending { clientId: number; upstream: Upstream; resolve: (b: Buffer | undefined) => void; timer: NodeJS.Timeout }

/** Relays queries to upstream resolvers over UDP. `close()` fails pending queries and closes the sockets. */
export class Forwarder {
  readonly upstreams: Upstream[];
  private readonly timeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private readonly sockets = new Map<'udp4' | 'udp6', dgram.Socket>();
  private nextId = Math.floor(Math.random() * 0x10000);
  private closed = false;

  constructor(opts: ForwarderOptions) {
    this.upstreams = opts.upstreams.map(parseUpstream);
    this.timeoutMs = opts.timeoutMs ?? 2000;
  }

  /**
   * Sends `query` to each upstream in turn; resolves to the first reply (client id
   * restored) or undefined. Over UDP unless `tcp` (the client asked over TCP: CoreDNS
   * `forward` follows the client's transport, so a truncated UDP reply reaches the client,
   * which retries over TCP, RFC 7766 §5). Never rejects.
   */
  async forward(query: Buffer, opts: { tcp?: boolean } = {}): Promise<Buffer | undefined> {
    for (const up of this.upstreams) {
      if (this.closed) return undefined;
      const reply = opts.tcp ? await this.attemptTcp(query, up) : await this.attempt(query, up);
      if (reply) return reply;
    }
    return undefined;
  }

  /** One query over a fresh TCP connection (two-byte length prefix, RFC 1035 §4.2.2); undefined on error or timeout. */
  private attemptTcp(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = net.connect(upstream.port, upstream.host);
      let buf = Buffer.alloc(0);
      const done = (b: Buffer | undefined): void => { clearTimeout(timer); sock.destroy(); resolve(b); };
      const timer = setTimeout(() => done(undefined), this.timeoutMs);
      sock.on('error', () => done(undefined));
      sock.on('close', () => done(undefined));
      sock.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      });
      const prefix = Buffer.allocUnsafe(2);
      prefix.writeUInt16BE(query.length, 0);
      sock.write(Buffer.concat([prefix, query]));
    });
  }

  private socket(family: 'udp4' | 'udp6'): dgram.Socket {
    let s = this.sockets.get(family);
    if (!s) {
      s = dgram.createSocket(family);
      s.on('message', (msg, rinfo) => this.onReply(msg, rinfo));
      s.on('error', () => { /* per-attempt timeouts handle lost answers */ });
      s.unref();
      this.sockets.set(family, s);
    }
    return s;
  }

  private attempt(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    if (query.length < 12) return Promise.resolve(undefined);
    let id = this.nextId;
    for (let i = 0; this.pending.has(id) && i < 0x10000; i++) id = (id + 1) & 0xffff;
    if (this.pending.has(id)) return Promise.resolve(undefined);
    this.nextId = (id + 7919) & 0xffff;
    const out = Buffer.from(query);
    const clientId = out.readUInt16BE(0);
    out.writeUInt16BE(id, 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.pending.delete(id); resolve(undefined); }, this.timeoutMs);
      this.pending.set(id, { clientId, upstream, resolve, timer });
      this.socket(net.isIPv6(upstream.host) ? 'udp6' : 'udp4').send(out, upstream.port, upstream.host, (err) => {
        if (err && this.pending.get(id)?.timer === timer) { clearTimeout(timer); this.pending.delete(id); resolve(undefined); }
      });
    });
  }

  private onReply(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const p = this.pending.get(id);
    if (!p || rinfo.port !== p.upstream.port || rinfo.address !== p.upstream.host) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    msg.writeUInt16BE(p.clientId, 0);
    p.resolve(msg);
  }

  /** Fails pending queries and closes the sockets. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.resolve(undefined); }
    this.pending.clear();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
