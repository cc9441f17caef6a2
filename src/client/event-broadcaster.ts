/**
 * The events.k8s.io/v1 recorder (client-go tools/events, the API the scheduler records
 * with): events about an object with `regarding`, `action`, `note`, `eventTime`, and
 * isomorphic repeats folded into an EventSeries instead of new writes.
 *
 * Isomorphic: same type, action, reason, reporting controller and instance, regarding
 * and related object — the note is not part of the key, as upstream's eventKey; unlike
 * upstream, nor is the objects' resourceVersion (a pod whose status changed between two
 * failed attempts keeps one Event). Writes:
 * - the first event of a key: created (name `<regarding name>.<hex nanoseconds>`);
 * - the second: `series: {count: 2, lastObservedTime}` patched onto it (created again if
 *   it was deleted meanwhile);
 * - later ones: only counted in memory;
 * - every `finishMs` (upstream 6 min): a series not observed for that long gets its
 *   final count written and leaves the cache; a single event that old leaves it;
 * - every `refreshMs` (upstream 30 min): every open series is written (keeps its TTL).
 * So a pod the scheduler retries every few minutes costs one Event object and a write per
 * 30 minutes, not a write per attempt. Fire-and-forget: transport failures are retried
 * (at most 12 tries, ~10 s apart, as upstream), a refusal is logged once and dropped.
 */
import type { KubeObject } from '../api/object.js';
import type { EventV1 } from '../api/events/v1/event.js';
import type { ObjectReference } from '../api/core/v1/types.js';
import { resources, type Client } from './interface.js';
import { microTime, onAbort } from '../machinery/time.js';
import { isNotFound, StatusError } from '../machinery/errors.js';

/** Records events.k8s.io/v1 Events; see the module doc. */
export interface EventsV1Recorder {
  /**
   * One occurrence: `type` Normal or Warning, `reason` (UpperCamelCase, why), `action` (what
   * was done or failed, e.g. `Scheduling`, `Binding`), `note` (the human message, ≤ 1 kB).
   */
  eventf(regarding: KubeObject, related: KubeObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
}

/** Options of {@link createEventBroadcaster}. */
export interface EventBroadcasterOptions {
  /** `reportingController`, e.g. `default-scheduler`. */
  reportingController: string;
  /** `reportingInstance` (upstream: `<controller>-<hostname>`). */
  reportingInstance: string;
  /** Stops the periodic writes and retries. */
  signal?: AbortSignal;
  /** Series end after this long unobserved (ms, default 6 min). */
  finishMs?: number;
  /** Open series are rewritten this often (ms, default 30 min). */
  refreshMs?: number;
  /** Pause between tries of a write that failed in transport (ms, default 10 s ±25 %). */
  retryMs?: number;
  /** Wall clock (ms since the epoch); tests move it. */
  now?: () => number;
}

/** The broadcaster; `finishSeries()`/`refreshSeries()` are the periodic passes (exposed for tests). */
export interface EventBroadcaster extends EventsV1Recorder {
  finishSeries(): Promise<void>;
  refreshSeries(): Promise<void>;
  /** Resolves when every write started so far has ended. */
  idle(): Promise<void>;
}

const MAX_TRIES = 12;

/** Reference to `obj` as events carry it (kind, apiVersion, namespace, name, uid, resourceVersion). */
export function objectReference(obj: KubeObject): ObjectReference {
  const ref: ObjectReference = { kind: obj.kind, apiVersion: obj.apiVersion, name: obj.metadata.name, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** Starts a broadcaster writing through `client`; see the module doc. */
export function createEventBroadcaster(client: Client, opts: EventBroadcasterOptions): EventBroadcaster {
  const events = client.resource<EventV1>(resources.eventsV1);
  const now = opts.now ?? Date.now;
  const finishMs = opts.finishMs ?? 6 * 60_000;
  const retryMs = opts.retryMs ?? 10_000;
  const cache = new Map<string, EventV1>();
  const inFlight = new Set<Promise<void>>();
  // Nanosecond names, unique within this process: wall clock at start plus monotonic time since.
  const wallNs0 = BigInt(now()) * 1_000_000n;
  const mono0 = process.hrtime.bigint();
  let lastNs = 0n;
  const nameFor = (base: string): string => {
    let ns = wallNs0 + (process.hrtime.bigint() - mono0);
    if (ns <= lastNs) ns = lastNs + 1n;
    lastNs = ns;
    return `${base}.${ns.toString(16)}`;
  };

  /** One write with retries: series → patch (create when gone); else create. */
  const record = (event: EventV1): void => {
    const copy = structuredClone(event);
    const p = (async () => {
      for (let tries = 1; ; tries++) {
        try {
          await write(copy);
          return;
        } catch (err) {
          if (err instanceof StatusError && err.status.code !== 429 && err.status.code < 500) {
            console.error(`event ${copy.reason} for ${copy.regarding?.namespace ?? ''}/${copy.regarding?.name}: ${err.message} (not retried)`);
            return;
          }
          if (tries >= MAX_TRIES || opts.signal?.aborted) {
            console.error(`event ${copy.reason} for ${copy.regarding?.namespace ?? ''}/${copy.regarding?.name}: ${(err as Error).message} (giving up)`);
            return;
          }
          await new Promise((r) => setTimeout(r, retryMs * (0.75 + Math.random() * 0.5)).unref());
        }
      }
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const write = async (event: EventV1): Promise<void> => {
    const namespace = event.metadata.namespace!;
    if (event.series) {
      try {
        await events.patch(event.metadata.name!, { series: event.series }, 'application/merge-patch+json', { namespace });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const { resourceVersion: _rv, ...metadata } = event.metadata;
    await events.create({ ...event, metadata }, { namespace });
  };

  const broadcaster: EventBroadcaster = {
    eventf(regarding, related, type, reason, action, note) {
      const regardingRef = objectReference(regarding);
      const relatedRef = related ? objectReference(related) : undefined;
      // The object's resourceVersion is left out of the key (upstream keeps it): the scheduler's
      // own status write between two attempts would otherwise start a second Event per pod.
      const key = JSON.stringify([type, action, reason, opts.reportingController, opts.reportingInstance,
        { ...regardingRef, resourceVersion: undefined }, relatedRef ? { ...relatedRef, resourceVersion: undefined } : null]);
      const t = microTime(new Date(now()));
      const cached = cache.get(key);
      if (cached?.series) {
        cached.series.count = (cached.series.count ?? 0) + 1;
        cached.series.lastObservedTime = t;
        return;
      }
      if (cached) {
        cached.series = { count: 2, lastObservedTime: t };
        record(cached);
        return;
      }
      const event: EventV1 = {
        apiVersion: 'events.k8s.io/v1', kind: 'Event',
        metadata: { name: nameFor(regarding.metadata.name ?? 'event'), namespace: regarding.metadata.namespace || 'default' },
        eventTime: t, reportingController: opts.reportingController, reportingInstance: opts.reportingInstance,
        action, reason, regarding: regardingRef, ...(relatedRef ? { related: relatedRef } : {}), note, type,
      };
      cache.set(key, event);
      record(event);
    },
    async finishSeries() {
      const cutoff = now() - finishMs;
      for (const [key, event] of cache) {
        if (event.series) {
          if (Date.parse(event.series.lastObservedTime!) < cutoff) { record(event); cache.delete(key); }
        } else if (Date.parse(event.eventTime!) < cutoff) cache.delete(key);
      }
      await broadcaster.idle();
    },
    async refreshSeries() {
      for (const event of cache.values()) if (event.series) record(event);
      await broadcaster.idle();
    },
    async idle() { while (inFlight.size) await Promise.allSettled([...inFlight]); },
  };

  if (opts.signal && !opts.signal.aborted) {
    const finish = setInterval(() => void broadcaster.finishSeries(), finishMs);
    const refresh = setInterval(() => void broadcaster.refreshSeries(), opts.refreshMs ?? 30 * 60_000);
    finish.unref(); refresh.unref();
    onAbort(opts.signal, () => { clearInterval(finish); clearInterval(refresh); });
  }
  return broadcaster;
}
