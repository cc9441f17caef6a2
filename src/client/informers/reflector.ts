/**
 * The reflector (client-go tools/cache/reflector.go): list, then watch from the list's
 * resourceVersion; on a closed watch re-watch from the last seen resourceVersion, on
 * 410 Expired or errors re-list (with backoff). Delivers `replace(items)` after each
 * list and `add/update/delete` for watch events.
 */
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../machinery/errors.js';
import type { ResourceClient } from '../interface.js';
import type { InformerOptions } from './types.js';

export interface ReflectorSink<T extends KubeObject> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export async function runReflector<T extends KubeObject>(client: ResourceClient<T>, opts: InformerOptions, sink: ReflectorSink<T>, signal: AbortSignal): Promise<void> {
  let backoff = 100;
  let rv = '';
  let needList = true;
  while (!signal.aborted) {
    try {
      if (needList) {
        const list = await client.list({ ...opts });
        rv = list.metadata.resourceVersion ?? '';
        sink.replace(list.items, rv);
        needList = false;
      }
      for await (const ev of client.watch({ ...opts, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300), signal })) {
        if (ev.type === 'ERROR') {
          const code = (ev.object as unknown as { code?: number }).code;
          if (code === 410) { needList = true; break; }
          throw new StatusError(ev.object as never);
        }
        const objRv = ev.object.metadata?.resourceVersion;
        if (objRv) rv = objRv;
        if (ev.type === 'ADDED') sink.add(ev.object);
        else if (ev.type === 'MODIFIED') sink.update(ev.object);
        else if (ev.type === 'DELETED') sink.delete(ev.object);
      }
      backoff = 100;
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof StatusError && err.code === 410) needList = true;
      else needList = true;
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 5000);
    }
  }
}
