/**
 * The event recorder (client-go tools/record): core/v1 Events about an object, named
 * `<object name>.<16 hex>`, with repeated identical events (same object, reason,
 * message, source) folded into one whose `count` grows, as upstream's correlator does.
 * Fire-and-forget: failures are logged, never thrown.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/object.js';
import { resources, type Client } from './interface.js';
import { rfc3339 } from '../machinery/time.js';

export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}


export function createEventRecorder(client: Client, opts: { component: string; host?: string }): EventRecorder {
  const events = client.resource(resources.events);
  const seen = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  return {
    event(obj, type, reason, message, fieldPath) {
      const namespace = obj.metadata.namespace || 'default';
      const involvedObject = {
        kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid,
        apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion, ...(fieldPath ? { fieldPath } : {}),
      };
      const key = JSON.stringify([obj.metadata.uid, fieldPath, type, reason, message]);
      const prev = seen.get(key);
      const t = rfc3339();
      if (prev && Date.now() - prev.at < 10 * 60_000) {
        prev.count++;
        prev.at = Date.now();
        events.patch(prev.name, { count: prev.count, lastTimestamp: t }, 'application/merge-patch+json', { namespace: prev.namespace }).catch(() => undefined);
        return;
      }
      const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
      seen.set(key, { name, namespace, count: 1, at: Date.now() });
      if (seen.size > 4096) seen.delete(seen.keys().next().value!);
      events.create({
        apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
        involvedObject, reason, message, type, count: 1, firstTimestamp: t, lastTimestamp: t,
        source: { component: opts.component, ...(opts.host ? { host: opts.host } : {}) },
        reportingComponent: opts.component, reportingInstance: opts.host ?? '',
      }).catch((err: Error) => console.error(`event ${reason} for ${namespace}/${obj.metadata.name}: ${err.message}`));
    },
  };
}
