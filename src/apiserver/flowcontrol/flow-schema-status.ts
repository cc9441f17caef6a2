/**
 * The `Dangling` condition of FlowSchemas (upstream apf_controller.go, the status the
 * config consumer writes): True with reason NotFound when the referenced priority level
 * does not exist, else False with reason Found; written only when status, reason or
 * message differ, with a new lastTransitionTime when the status changes. `kubectl get
 * flowschemas` prints it as MISSINGPL.
 */
import type { Registry, RequestContext } from '../registry/rest.js';
import type { KubeObject } from '../../api/object.js';
import type { FlowSchemaObject } from './flowcontrol-types.js';

export interface FlowSchemaCondition { type: string; status: 'True' | 'False'; reason: string; message: string; lastTransitionTime?: string }

const CTX: RequestContext = { user: { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] }, namespace: '' };

/** The Dangling condition `fs` should have, given whether its level exists. */
export function danglingCondition(fs: FlowSchemaObject, levelExists: boolean): Omit<FlowSchemaCondition, 'lastTransitionTime'> {
  const pl = fs.spec.priorityLevelConfiguration?.name ?? '';
  return levelExists
    ? { type: 'Dangling', status: 'False', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(pl)} and it exists` }
    : { type: 'Dangling', status: 'True', reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named ${JSON.stringify(pl)} but there is no such object` };
}

/**
 * Writes the Dangling condition of each stored schema of `schemas` whose condition differs
 * (`levelNames`: the priority levels that exist), through
 * the registry's `flowschemas/status`. A conflict is left to the next configuration event
 * (the write itself causes one). Returns the names written.
 */
export async function updateFlowSchemaStatuses(registry: Registry, opts: { schemas: FlowSchemaObject[]; levelNames: Set<string>; now?: () => Date; log?: (m: string) => void }): Promise<string[]> {
  const { schemas, levelNames } = opts;
  const status = registry.lookup('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas', 'status');
  if (!status?.update) return [];
  const written: string[] = [];
  for (const fs of schemas) {
    if (!fs.metadata.uid) continue;
    const want = danglingCondition(fs, levelNames.has(fs.spec.priorityLevelConfiguration?.name));
    const conditions = ((fs as { status?: { conditions?: FlowSchemaCondition[] } }).status?.conditions ?? []);
    const have = conditions.find((c) => c.type === 'Dangling');
    if (have && have.status === want.status && have.reason === want.reason && have.message === want.message) continue;
    const lastTransitionTime = have?.status === want.status && have.lastTransitionTime ? have.lastTransitionTime : (opts.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
    const next = { ...fs, status: { conditions: [...conditions.filter((c) => c.type !== 'Dangling'), { ...want, lastTransitionTime }] } } as unknown as KubeObject;
    try {
      await status.update(CTX, fs.metadata.name!, next);
      written.push(fs.metadata.name!);
    } catch (err) {
      opts.log?.(`flowcontrol: status of FlowSchema ${fs.metadata.name} not written (the next change retries): ${(err as Error).message}`);
    }
  }
  return written;
}
