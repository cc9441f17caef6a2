import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terminationLogFile, terminationMessage, TERMINATION_MESSAGE_POLICY } from './termination-message.js';

const status = (over: Record<string, unknown>) => ({ id: 'x', metadata: { name: 'c', attempt: 0 }, state: 'CONTAINER_EXITED', exitCode: 1, annotations: {}, ...over }) as never;

test('the termination file, capped at 4096 bytes; the log tail only with FallbackToLogsOnError, an empty file and a failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-term-'));
  try {
    const file = terminationLogFile(dir, 'c', 0);
    assert.equal(terminationMessage(dir, status({})), '');
    writeFileSync(file, 'x'.repeat(5000));
    assert.equal(terminationMessage(dir, status({})).length, 4096);
    const log = join(dir, 'c.log');
    writeFileSync(log, Array.from({ length: 100 }, (_, i) => `2026-12-01T00:00:00.000000000Z stdout F line ${i}`).join('\n') + '\n');
    terminationLogFile(dir, 'c', 1);
    const fallback = status({ metadata: { name: 'c', attempt: 1 }, logPath: log, annotations: { [TERMINATION_MESSAGE_POLICY]: 'FallbackToLogsOnError' } });
    const msg = terminationMessage(dir, fallback);
    assert.match(msg, /line 99\n$/);
    assert.doesNotMatch(msg, /line 19\n/, 'only the last 80 lines');
    assert.ok(Buffer.byteLength(msg) <= 2048);
    assert.equal(terminationMessage(dir, { ...(fallback as object), exitCode: 0 } as never), '', 'a success keeps the empty message');
    assert.equal(terminationMessage(dir, { ...(fallback as object), annotations: {} } as never), '', 'policy File: no fallback');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
