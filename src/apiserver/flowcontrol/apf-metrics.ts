/**
 * API Priority and Fairness metrics (upstream k8s.io/apiserver/pkg/util/flowcontrol/
 * metrics), registered on the apiserver's prom-client registry:
 * `apiserver_flowcontrol_rejected_requests_total{flow_schema,priority_level,reason}`,
 * `apiserver_flowcontrol_dispatched_requests_total{flow_schema,priority_level}`,
 * `apiserver_flowcontrol_current_inqueue_requests{flow_schema,priority_level}`,
 * `apiserver_flowcontrol_current_executing_requests{flow_schema,priority_level}`,
 * `apiserver_flowcontrol_request_wait_duration_seconds{execute,flow_schema,priority_level}`
 * `apiserver_flowcontrol_nominal_limit_seats{priority_level}` and
 * `apiserver_flowcontrol_current_limit_seats{priority_level}` (after borrowing).
 */
import client from 'prom-client';

export interface FlowLabels { flowSchema: string; priorityLevel: string }

export interface ApfMetrics {
  rejected(l: FlowLabels, reason: string, waitedSeconds: number): void;
  dispatched(l: FlowLabels, waitedSeconds: number): void;
  /** +1 / -1 queued requests. */
  inQueue(l: FlowLabels, delta: number): void;
  /** +1 / -1 executing requests. */
  executing(l: FlowLabels, delta: number): void;
  nominalLimit(priorityLevel: string, seats: number): void;
  currentLimit(priorityLevel: string, seats: number): void;
}

const WAIT_BUCKETS = [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];

/** The metrics on `registry` (a fresh one when absent, for tests). */
export function createApfMetrics(registry: client.Registry = new client.Registry()): ApfMetrics {
  const registers = [registry];
  const rejected = new client.Counter({ name: 'apiserver_flowcontrol_rejected_requests_total', help: 'Number of requests rejected by API Priority and Fairness subsystem', labelNames: ['flow_schema', 'priority_level', 'reason'], registers });
  const dispatched = new client.Counter({ name: 'apiserver_flowcontrol_dispatched_requests_total', help: 'Number of requests executed by API Priority and Fairness subsystem', labelNames: ['flow_schema', 'priority_level'], registers });
  const inqueue = new client.Gauge({ name: 'apiserver_flowcontrol_current_inqueue_requests', help: 'Number of requests currently pending in queues of the API Priority and Fairness subsystem', labelNames: ['flow_schema', 'priority_level'], registers });
  const executing = new client.Gauge({ name: 'apiserver_flowcontrol_current_executing_requests', help: 'Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem', labelNames: ['flow_schema', 'priority_level'], registers });
  const wait = new client.Histogram({ name: 'apiserver_flowcontrol_request_wait_duration_seconds', help: 'Length of time a request spent waiting in its queue', labelNames: ['execute', 'flow_schema', 'priority_level'], buckets: WAIT_BUCKETS, registers });
  const nominal = new client.Gauge({ name: 'apiserver_flowcontrol_nominal_limit_seats', help: 'Nominal number of execution seats configured for each priority level', labelNames: ['priority_level'], registers });
  const current = new client.Gauge({ name: 'apiserver_flowcontrol_current_limit_seats', help: 'current derived number of execution seats available to each priority level', labelNames: ['priority_level'], registers });
  const labels = (l: FlowLabels) => ({ flow_schema: l.flowSchema, priority_level: l.priorityLevel });
  return {
    rejected(l, reason, s) { rejected.inc({ ...labels(l), reason }); wait.observe({ ...labels(l), execute: 'false' }, s); },
    dispatched(l, s) { dispatched.inc(labels(l)); wait.observe({ ...labels(l), execute: 'true' }, s); },
    inQueue(l, d) { inqueue.inc(labels(l), d); },
    executing(l, d) { executing.inc(labels(l), d); },
    nominalLimit(pl, seats) { nominal.set({ priority_level: pl }, seats); },
    currentLimit(pl, seats) { current.set({ priority_level: pl }, seats); },
  };
}
