/**
 * Byte-level forwarding of an HTTP/1.1 Upgrade (WebSocket or SPDY) request: the
 * handshake headers go to the next hop unchanged, then both sockets are piped, so the
 * client and the final server (e.g. containerd's streaming server for `kubectl exec`)
 * negotiate the protocol end to end.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const FORWARDED = /^(upgrade|connection|sec-websocket-.*|x-stream-protocol-version|origin)$/i;

/** Sends `req`'s upgrade handshake to `upstream` for `path`, then pipes the two sockets. */
export function forwardUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, upstream: Duplex, path: string, host: string): void {
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (FORWARDED.test(req.rawHeaders[i])) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  upstream.write(lines.join('\r\n') + '\r\n\r\n');
  pipeUpgraded(client, head, upstream);
}

/** Writes the client's early bytes (`head`) upstream, then pipes both ways; either side's end or error closes both. */
export function pipeUpgraded(client: Duplex, head: Buffer, upstream: Duplex): void {
  if (head.length) upstream.write(head);
  upstream.pipe(client);
  client.pipe(upstream);
  const close = (): void => { client.destroy(); upstream.destroy(); };
  upstream.on('error', close);
  client.on('error', close);
  upstream.on('close', close);
  client.on('close', close);
}

/** Writes a plain HTTP error on a socket that has not been upgraded. */
export function rejectUpgrade(socket: Duplex, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
