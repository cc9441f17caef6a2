import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirUsageBytes, emptyDirLimitExceeded } from './emptydir-limit.js';

it('emptyDir sizeLimit: du-like usage, upstream eviction message, Memory volumes skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-ed-'));
  try {
    mkdirSync(join(dir, 'volumes', 'scratch'), { recursive: true });
    writeFileSync(join(dir, 'volumes', 'scratch', 'big'), Buffer.alloc(256 * 1024, 1));
    assert.ok(dirUsageBytes(join(dir, 'volumes', 'scratch')) >= 256 * 1024);
    const pod = (sizeLimit: string, medium?: string) => ({ metadata: {}, spec: { containers: [], volumes: [{ name: 'scratch', emptyDir: { sizeLimit, medium } }] } }) as never;
    assert.equal(emptyDirLimitExceeded(pod('100Ki'), dir), 'Usage of EmptyDir volume "scratch" exceeds the limit "100Ki". ');
    assert.equal(emptyDirLimitExceeded(pod('1Mi'), dir), undefined);
    assert.equal(emptyDirLimitExceeded(pod('100Ki', 'Memory'), dir), undefined);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
