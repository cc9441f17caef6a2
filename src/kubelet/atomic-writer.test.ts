import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic } from './atomic-writer.js';

it('atomic writer: ..data points to a timestamped dir, files are links into it, updates swap it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-aw-'));
  try {
    writeFileSync(join(dir, 'a'), 'legacy plain file');
    assert.equal(writeAtomic(dir, new Map([['a', { data: 'one', mode: 0o644 }], ['sub/b', { data: 'two', mode: 0o600 }]])), true);
    const first = readlinkSync(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\w+$/);
    assert.equal(readlinkSync(join(dir, 'a')), '..data/a');
    assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'one');
    assert.equal(readFileSync(join(dir, 'sub/b'), 'utf8'), 'two');
    assert.equal(statSync(join(dir, 'sub/b')).mode & 0o777, 0o600);
    // Unchanged: nothing written.
    assert.equal(writeAtomic(dir, new Map([['a', { data: 'one', mode: 0o644 }], ['sub/b', { data: 'two', mode: 0o600 }]])), false);
    assert.equal(readlinkSync(join(dir, '..data')), first);
    // Changed: new dir, removed key's link gone, old dir gone.
    assert.equal(writeAtomic(dir, new Map([['a', { data: 'uno', mode: 0o644 }]])), true);
    const second = readlinkSync(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'uno');
    assert.equal(existsSync(join(dir, 'sub')), false);
    assert.deepEqual(readdirSync(dir).sort(), [second, '..data', 'a'].sort());
    assert.throws(() => writeAtomic(dir, new Map([['../x', { data: '', mode: 0o644 }]])), /must not contain '..'/);
    assert.throws(() => writeAtomic(dir, new Map([['/x', { data: '', mode: 0o644 }]])), /must be relative path/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
