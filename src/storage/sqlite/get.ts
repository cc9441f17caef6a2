/** get (kine pkg/logstructured Get): the latest committed row of a name, unless it is a tombstone. */
import type { KubeObject } from '../../api/object.js';
import { StorageError } from '../errors.js';
import { decodeStored } from '../object-codec.js';
import { committedLiveRow, type LogContext } from './log-context.js';

/** The current object at `key` with resourceVersion = its row's revision. Throws KeyNotFound. */
export function getKey<T extends KubeObject>(ctx: LogContext, key: string): T {
  const row = committedLiveRow(ctx, key);
  if (!row) throw new StorageError('KeyNotFound', key);
  return decodeStored<T>(ctx.transformer, key, row.value!, row.id);
}
