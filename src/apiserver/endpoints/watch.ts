/**
 * Watch over a chunked HTTP stream (upstream endpoints/handlers/watch.go): one JSON
 * `{"type","object"}` per line, flushed per event; ends on the client's disconnect, on
 * `timeoutSeconds` (default: a random 30–60 min, like --min-request-timeout), or when
 * the source ends. An error after the headers becomes an ERROR event with a Status.
 * With `frame` (protobuf, protobuf-response.ts) each event is one length-prefixed
 * WatchEvent frame instead, under Content-Type `application/vnd.kubernetes.protobuf;stream=watch`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/object.js';
import { internalError, StatusError } from '../../machinery/errors.js';
import type { WatchEvent } from '../registry/rest.js';
import { watchEventLine } from './serialize.js';

export interface ServeWatchOptions {
  timeoutSeconds?: number;
  /** Converts each event object (e.g. into a Table); `first` is true for the first event. */
  transform?: (obj: KubeObject, first: boolean) => KubeObject;
  /** On timeout, end with a BOOKMARK at the last resourceVersion sent (allowWatchBookmarks), as upstream does. */
  finalBookmark?: boolean;
  /** Encodes one event (default: a JSON line); with `contentType` of the stream. */
  frame?: (type: string, object: KubeObject) => Buffer | string;
  contentType?: string;
}


/** Serves a watch stream of the events `open` yields (upstream endpoints/handlers/watch.go serveWatch). */
export async function serveWatch(req: IncomingMessage, res: ServerResponse, open: (signal: AbortSignal) => AsyncIterable<WatchEvent>, opts: ServeWatchOptions): Promise<void> {
  const ac = new AbortController();
  // Opening may throw (bad options, 410, 422): that is answered as a plain Status, before any timer or listener exists.
  const source = open(ac.signal);
  const timeoutMs = (opts.timeoutSeconds && opts.timeoutSeconds > 0 ? opts.timeoutSeconds : 1800 + Math.random() * 1800) * 1000;
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  timer.unref();
  const onClose = (): void => ac.abort();
  req.socket.on('close', onClose);
  res.on('close', onClose);
  const frame = opts.frame ?? ((type: string, object: KubeObject) => watchEventLine(type, object));
  res.writeHead(200, { 'Content-Type': opts.contentType ?? 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let first = true;
  let corked = false;
  let last: KubeObject | undefined;
  let timedOut = false;
  const onTimeout = (): void => { timedOut = true; };
  ac.signal.addEventListener('abort', onTimeout, { once: true });
  try {
    for await (const ev of source) {
      if (ac.signal.aborted) break;
      if (ev.type !== 'ERROR') last = ev.object;
      const object = opts.transform && ev.type !== 'ERROR' && ev.type !== 'BOOKMARK' ? opts.transform(ev.object, first) : ev.object;
      first = false;
      // Events that arrive in one turn of the event loop go out in one TLS write.
      if (!corked) { corked = true; res.cork(); setImmediate(() => { corked = false; res.uncork(); }); }
      if (!res.write(frame(ev.type, object))) {
        // Both listeners go once either fires, so long watches do not pile up 'close' listeners.
        await new Promise<void>((r) => {
          const done = (): void => { res.off('drain', done); res.off('close', done); r(); };
          res.on('drain', done); res.on('close', done);
        });
      }
    }
  } catch (err) {
    if (!ac.signal.aborted) {
      const se = err instanceof StatusError ? err : internalError(err);
      res.write(frame('ERROR', se.status as unknown as KubeObject));
    }
  } finally {
    const clientGone = res.destroyed || req.socket.destroyed;
    if (timedOut && !clientGone && opts.finalBookmark && last?.metadata?.resourceVersion) {
      res.write(frame('BOOKMARK', { apiVersion: last.apiVersion, kind: last.kind, metadata: { resourceVersion: last.metadata.resourceVersion } } as KubeObject));
    }
    clearTimeout(timer);
    req.socket.off('close', onClose);
    res.off('close', onClose);
    ac.abort();
    res.end();
  }
}
