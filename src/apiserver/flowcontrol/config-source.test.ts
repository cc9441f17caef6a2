import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfigLoop, type FlowControlConfigSource } from './config-source.js';
import { FlowController } from './flow-controller.js';
import { suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap-configuration.js';
import type { FlowSchemaObject, PriorityLevelConfigurationObject } from './flowcontrol-types.js';

test('the loop applies the first list, re-lists on events (coalesced) and after a watch ends', async () => {
  let config: { flowSchemas: FlowSchemaObject[]; priorityLevels: PriorityLevelConfigurationObject[] } = { flowSchemas: [], priorityLevels: [] };
  let lists = 0;
  let emit: () => void = () => undefined;
  let endWatch: () => void = () => undefined;
  const source: FlowControlConfigSource = {
    list: async () => { lists++; return structuredClone(config); },
    watch: (onChange, signal) => new Promise<void>((resolve) => {
      emit = onChange;
      endWatch = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    }),
  };
  const c = new FlowController();
  const ac = new AbortController();
  const applied: number[] = [];
  await runConfigLoop(c, source, { signal: ac.signal, debounceMs: 5, retryMs: 5, onApplied: async (fs) => { applied.push(fs.length); } });
  assert.deepEqual([...c.levelStates().keys()], ['catch-all']);
  config = { flowSchemas: suggestedFlowSchemas(), priorityLevels: suggestedPriorityLevels() };
  emit(); emit(); emit();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(lists, 2);
  assert.ok(c.levelStates().has('global-default'));
  config = { flowSchemas: [], priorityLevels: [] };
  endWatch();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(lists, 3);
  assert.deepEqual([...c.levelStates().keys()], ['catch-all']);
  assert.deepEqual(applied, [0, 11, 0]);
  ac.abort();
});
