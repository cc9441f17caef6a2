/**
 * One request's audit record (audit.k8s.io/v1 Event; upstream
 * k8s.io/apiserver/pkg/audit and endpoints/filters/audit.go). The handler opens a
 * {@link RequestAudit} once it knows the user and what is asked, hands it the request
 * and response objects when the level wants them, and the record writes one Event per
 * stage it reaches that the policy does not omit:
 *   RequestReceived — at once; ResponseStarted — long-running requests (watch, exec…)
 *   when their headers go out; ResponseComplete — when the response has been sent;
 *   Panic — a handler failure that answered 500.
 * Metadata level carries no bodies; Request adds `requestObject`; RequestResponse adds
 * `responseObject`. Timestamps are MicroTime (RFC 3339, microseconds, UTC).
 */
import type { Attributes } from '../authz/authorizer.js';
import type { UserInfo } from '../registry/rest.js';
import type { AuditDecision, AuditLevel, AuditStage } from './policy.js';
import type { AuditSink } from './log-backend.js';

/** audit.k8s.io/v1 ObjectReference. */
export interface AuditObjectRef { resource?: string; namespace?: string; name?: string; uid?: string; apiGroup?: string; apiVersion?: string; resourceVersion?: string; subresource?: string }

/** audit.k8s.io/v1 Event. */
export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: AuditLevel;
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: UserInfo;
  impersonatedUser?: UserInfo;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: AuditObjectRef;
  responseStatus?: Record<string, unknown>;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** The request as the handler saw it before the policy was asked. */
export interface AuditRequest {
  auditID: string;
  requestURI: string;
  /** When the request arrived (ms since the epoch, fractional). */
  receivedAt: number;
  sourceIPs: string[];
  userAgent?: string;
}

/** MicroTime of `ms` since the epoch: 2026-12-01T10:00:00.123456Z. */
export const microTimeOf = (ms: number): string => {
  const whole = Math.floor(ms);
  const micros = Math.floor((ms - whole) * 1000);
  return new Date(whole).toISOString().replace(/\.(\d{3})Z$/, (_m, milli: string) => `.${milli}${String(micros).padStart(3, '0')}Z`);
};

const strip = (u: UserInfo): UserInfo => ({ username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) });

/** Removes `metadata.managedFields` from an object or from each item of a list (omitManagedFields). */
function withoutManagedFields(obj: unknown): unknown {
  if (!obj || typeof obj !== 'object') return obj;
  const o = obj as { metadata?: Record<string, unknown>; items?: unknown[] };
  const out: Record<string, unknown> = { ...o };
  if (o.metadata?.managedFields) { const { managedFields: _m, ...rest } = o.metadata; out.metadata = rest; }
  if (Array.isArray(o.items)) out.items = o.items.map(withoutManagedFields);
  return out;
}

/** One request's record; see the module comment. */
export class RequestAudit {
  private requestObj: unknown;
  private responseObj: unknown;
  private ended = false;
  private readonly annotations: Record<string, string> = {};
  readonly objectRef?: AuditObjectRef;

  constructor(
    private readonly sink: AuditSink,
    private readonly decision: AuditDecision,
    private readonly request: AuditRequest,
    private readonly attrs: Attributes,
    private readonly requestor: UserInfo,
  ) {
    if (attrs.resourceRequest) {
      const ref: AuditObjectRef = { resource: attrs.resource, namespace: attrs.namespace || undefined, name: attrs.name || undefined, apiGroup: attrs.apiGroup || undefined, apiVersion: attrs.apiVersion, subresource: attrs.subresource || undefined };
      this.objectRef = Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined && v !== ''));
    }
  }

  get level(): AuditLevel { return this.decision.level; }

  /** Adds an annotation (e.g. `authorization.k8s.io/decision`) to every later stage. */
  annotate(key: string, value: string): void { this.annotations[key] = value; }

  /** The decoded request body (create, update, patch, delete options); kept at Request level and above. */
  setRequestObject(obj: unknown): void {
    if (this.decision.level !== 'Request' && this.decision.level !== 'RequestResponse') return;
    this.requestObj = this.decision.omitManagedFields ? withoutManagedFields(obj) : obj;
    const name = (obj as { metadata?: { name?: string } } | undefined)?.metadata?.name;
    if (this.objectRef && !this.objectRef.name && typeof name === 'string' && name) this.objectRef.name = name;
  }

  /** The response body; kept at RequestResponse level. */
  setResponseObject(obj: unknown): void {
    if (this.decision.level !== 'RequestResponse') return;
    this.responseObj = this.decision.omitManagedFields ? withoutManagedFields(obj) : obj;
  }

  /** Writes the event of `stage` unless the policy omits it; `status` is the response's code and, for failures, its Status. */
  stage(stage: AuditStage, status?: { code: number; failure?: object }): void {
    if (this.ended || this.decision.level === 'None' || this.decision.omitStages.includes(stage)) { if (stage === 'ResponseComplete' || stage === 'Panic') this.ended = true; return; }
    if (stage === 'ResponseComplete' || stage === 'Panic') this.ended = true;
    const impersonated = this.requestor !== this.attrs.user;
    const e: AuditEvent = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: this.decision.level, auditID: this.request.auditID, stage,
      requestURI: this.request.requestURI, verb: this.attrs.verb, user: strip(this.requestor),
      ...(impersonated ? { impersonatedUser: strip(this.attrs.user) } : {}),
      sourceIPs: this.request.sourceIPs, ...(this.request.userAgent ? { userAgent: this.request.userAgent } : {}),
      ...(this.objectRef ? { objectRef: { ...this.objectRef } } : {}),
      ...(status ? { responseStatus: status.failure ? { metadata: {}, ...status.failure, code: status.code } : { metadata: {}, code: status.code } } : {}),
      ...(stage !== 'RequestReceived' && this.requestObj !== undefined ? { requestObject: this.requestObj } : {}),
      ...(stage === 'ResponseComplete' && this.responseObj !== undefined ? { responseObject: this.responseObj } : {}),
      requestReceivedTimestamp: microTimeOf(this.request.receivedAt),
      stageTimestamp: microTimeOf(performance.timeOrigin + performance.now()),
      ...(Object.keys(this.annotations).length ? { annotations: { ...this.annotations } } : {}),
    };
    this.sink.write(e);
  }
}
