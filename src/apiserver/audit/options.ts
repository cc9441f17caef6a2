/**
 * The apiserver's audit flags, as kube-apiserver names them: `--audit-policy-file`,
 * `--audit-log-path` (`-`: standard output), `--audit-log-maxage` (days),
 * `--audit-log-maxbackup` (files), `--audit-log-maxsize` (megabytes, default 100).
 * Auditing is on when both a policy file and a log path are given (upstream needs both).
 */
import { readFileSync } from 'node:fs';
import { Auditor } from './auditor.js';
import { createAuditLogBackend } from './log-backend.js';
import { parseAuditPolicy } from './policy.js';

export interface AuditFlags {
  auditPolicyFile?: string;
  auditLogPath?: string;
  auditLogMaxage?: number;
  auditLogMaxbackup?: number;
  auditLogMaxsize?: number;
}

/** The auditor the flags ask for; undefined without both a policy file and a log path. Throws on an unreadable or invalid policy (the message names the field). */
export function auditorFromFlags(f: AuditFlags): Auditor | undefined {
  if (!f.auditPolicyFile || !f.auditLogPath) return undefined;
  let text: string;
  try { text = readFileSync(f.auditPolicyFile, 'utf8'); } catch (err) { throw new Error(`--audit-policy-file: ${(err as Error).message}`); }
  let policy;
  try { policy = parseAuditPolicy(text); } catch (err) { throw new Error(`--audit-policy-file ${f.auditPolicyFile}: ${(err as Error).message}`); }
  return new Auditor(policy, createAuditLogBackend({ path: f.auditLogPath, maxAgeDays: f.auditLogMaxage ?? 0, maxBackups: f.auditLogMaxbackup ?? 0, maxSizeMB: f.auditLogMaxsize ?? 100 }));
}
