/** Server-side apply library (KEP-555): field sets, apply, and Update ownership tracking. */
export * from './fieldset.js';
export * from './path.js';
export * from './schema.js';
export * from './managed.js';
export { apply, ApplyConflict, conflictMessage, type ApplyOptions, type ApplyResult, type Conflict } from './apply.js';
export { trackUpdate, updateManagers, compareFiltered, type UpdateOptions, type OwnershipOptions } from './update.js';
export { compareObjects, mergeValues, removePaths, deepEqual, type Comparison } from './value.js';
