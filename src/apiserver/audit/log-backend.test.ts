import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLogBackend } from './log-backend.js';
import type { AuditEvent } from './event.js';

const event = (i: number): AuditEvent => ({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${i}`, stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/default/configmaps/${'x'.repeat(900)}`,
  verb: 'get', user: { username: 'u', groups: [] }, requestReceivedTimestamp: '2026-12-01T00:00:00.000000Z', stageTimestamp: '2026-12-01T00:00:00.000000Z',
});

it('writes one JSON event per line and rotates at maxsize into lumberjack-named backups, keeping maxbackup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-audit-log-'));
  try {
    const sink = createAuditLogBackend({ path: join(dir, 'audit.log'), maxSizeMB: 1, maxBackups: 1 });
    // ~3.5 MB of events: three rotations at 1 MB.
    for (let i = 0; i < 3500; i++) {
      sink.write(event(i));
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 50));
    }
    await sink.close();
    await new Promise((r) => setTimeout(r, 200));
    const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    const backups = files.filter((f) => /^audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.log$/.test(f));
    assert.equal(backups.length, 1, `one backup kept: ${files.join(' ')}`);
    assert.ok(files.includes('audit.log'));
    const lines = readFileSync(join(dir, 'audit.log'), 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.length > 0);
    for (const l of lines) assert.equal((JSON.parse(l) as AuditEvent).kind, 'Event');
    assert.equal((JSON.parse(lines.at(-1)!) as AuditEvent).auditID, 'id-3499', 'the newest event is in the live file');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
