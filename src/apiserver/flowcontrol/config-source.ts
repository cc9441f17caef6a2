/**
 * Where the flow controller's configuration comes from (upstream's informers on
 * FlowSchemas and PriorityLevelConfigurations in apf_controller.go): the apiserver's own
 * stores, read directly (not over HTTP, so never throttled). {@link runConfigLoop} lists
 * both kinds, applies them, and watches both; any event (the watches' initial ADDED
 * events included) re-lists and re-applies, coalesced over `debounceMs`. A failed list or
 * a watch that ends is retried after `retryMs`.
 */
import type { Registry, RequestContext, RestStorage } from '../registry/rest.js';
import type { FlowController } from './flow-controller.js';
import type { FlowSchemaObject, PriorityLevelConfigurationObject } from './flowcontrol-types.js';

const GROUP = 'flowcontrol.apiserver.k8s.io';
const CTX: RequestContext = { user: { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] }, namespace: '' };

/** The stored configuration, and a stream of "something changed". */
export interface FlowControlConfigSource {
  list(): Promise<{ flowSchemas: FlowSchemaObject[]; priorityLevels: PriorityLevelConfigurationObject[] }>;
  /** Calls `onChange` on every event of either kind until `signal` aborts; resolves when a watch ends. */
  watch(onChange: () => void, signal: AbortSignal): Promise<void>;
}

/** The source over the registry's flowcontrol.apiserver.k8s.io/v1 stores (absent kinds: empty). */
export function registryConfigSource(registry: Registry): FlowControlConfigSource {
  const storage = (plural: string): RestStorage | undefined => registry.lookup(GROUP, 'v1', plural);
  const list = async <T>(plural: string): Promise<T[]> => ((await storage(plural)?.list?.(CTX, {}))?.items ?? []) as unknown as T[];
  return {
    list: async () => ({ flowSchemas: await list<FlowSchemaObject>('flowschemas'), priorityLevels: await list<PriorityLevelConfigurationObject>('prioritylevelconfigurations') }),
    async watch(onChange, signal) {
      const one = async (plural: string): Promise<void> => {
        const w = storage(plural)?.watch?.(CTX, { signal });
        if (!w) return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        for await (const e of w) { if (e.type !== 'BOOKMARK') onChange(); }
      };
      const inner = new AbortController();
      signal.addEventListener('abort', () => inner.abort(), { once: true });
      // Either watch ending ends both, so that the loop starts over with a fresh list.
      await Promise.race([one('flowschemas'), one('prioritylevelconfigurations')]).finally(() => inner.abort());
    },
  };
}

/**
 * Keeps `controller` configured from `source` until `signal` aborts. Resolves after the
 * first configuration has been applied (or failed and logged); runs on in the background.
 */
export async function runConfigLoop(controller: FlowController, source: FlowControlConfigSource, opts: {
  signal: AbortSignal; log?: (m: string) => void; debounceMs?: number; retryMs?: number;
  /** Called after each applied configuration (e.g. to write the FlowSchemas' status). */
  onApplied?: (flowSchemas: FlowSchemaObject[], priorityLevels: PriorityLevelConfigurationObject[]) => Promise<unknown>;
}): Promise<void> {
  const debounceMs = opts.debounceMs ?? 20;
  const retryMs = opts.retryMs ?? 1000;
  const refresh = async (): Promise<void> => {
    try {
      const { flowSchemas, priorityLevels } = await source.list();
      if (opts.signal.aborted) return;
      controller.apply(flowSchemas, priorityLevels);
      await opts.onApplied?.(flowSchemas, priorityLevels);
    } catch (err) {
      opts.log?.(`flowcontrol: cannot read the configuration: ${(err as Error).message}`);
    }
  };
  await refresh();
  void (async () => {
    let timer: NodeJS.Timeout | undefined;
    const changed = (): void => {
      if (timer) return;
      timer = setTimeout(() => { timer = undefined; void refresh(); }, debounceMs);
    };
    while (!opts.signal.aborted) {
      await source.watch(changed, opts.signal).catch((err) => opts.log?.(`flowcontrol: configuration watch failed: ${(err as Error).message}`));
      if (opts.signal.aborted) break;
      await new Promise((r) => setTimeout(r, retryMs).unref());
      await refresh();
    }
    clearTimeout(timer);
  })();
}
