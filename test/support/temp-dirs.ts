/**
 * Temporary directories of one test file: `make(prefix)` creates one under the OS temp
 * dir (mkdtemp), `removeAll()` deletes every one made so far (call it from `after`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs { make(prefix: string): string; removeAll(): void }

export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    make(prefix) { const dir = mkdtempSync(join(tmpdir(), prefix)); made.push(dir); return dir; },
    removeAll() { for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true }); },
  };
}
