/**
 * `GET /metrics/resource`: the resource metrics the metrics-server scrapes, in the
 * Prometheus text format (0.0.4), rendered from a Summary with upstream's names, help
 * texts and labels (pkg/kubelet/metrics/collectors/resource_metrics.go):
 * node_cpu_usage_seconds_total, node_memory_working_set_bytes,
 * container_cpu_usage_seconds_total / container_memory_working_set_bytes /
 * container_start_time_seconds {container, namespace, pod}, pod_cpu_usage_seconds_total /
 * pod_memory_working_set_bytes {namespace, pod}, resource_scrape_error and scrape_error
 * (1 when the Summary could not be built). Samples carry the stats' time (ms) as their
 * timestamp, as upstream's collector does; seconds are core-seconds.
 */
import type { Summary } from './types.js';

interface Family { name: string; help: string; type: 'counter' | 'gauge'; samples: string[] }

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>): string => {
  const keys = Object.keys(l).sort();
  return keys.length ? `{${keys.map((k) => `${k}="${esc(l[k])}"`).join(',')}}` : '';
};
const ms = (t: string): number => Date.parse(t);

/** The resource metrics text for `summary`, or the error metrics alone when it is undefined. */
export function renderResourceMetrics(summary: Summary | undefined): string {
  const f = (name: string, help: string, type: Family['type'], stability = 'STABLE'): Family => ({ name, help: `[${stability}] ${help}`, type, samples: [] });
  const nodeCpu = f('node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter');
  const nodeMem = f('node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge');
  const cCpu = f('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the container in core-seconds', 'counter');
  const cMem = f('container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge');
  const cStart = f('container_start_time_seconds', 'Start time of the container since unix epoch in seconds', 'gauge');
  const pCpu = f('pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter');
  const pMem = f('pod_memory_working_set_bytes', 'Current working set of the pod in bytes', 'gauge');
  const rErr = f('resource_scrape_error', '1 if there was an error while getting container metrics, 0 otherwise', 'gauge');
  const sErr = f('scrape_error', '1 if there was an error while getting container metrics, 0 otherwise', 'gauge', 'ALPHA');
  const add = (fam: Family, l: Record<string, string>, v: number, t?: string): void => { fam.samples.push(`${fam.name}${labels(l)} ${v}${t ? ` ${ms(t)}` : ''}`); };
  const err = summary ? 0 : 1;
  add(rErr, {}, err); add(sErr, {}, err);
  if (summary) {
    const n = summary.node;
    if (n.cpu?.usageCoreNanoSeconds !== undefined) add(nodeCpu, {}, n.cpu.usageCoreNanoSeconds / 1e9, n.cpu.time);
    if (n.memory?.workingSetBytes !== undefined) add(nodeMem, {}, n.memory.workingSetBytes, n.memory.time);
    for (const p of summary.pods) {
      const pl = { pod: p.podRef.name, namespace: p.podRef.namespace };
      if (p.cpu?.usageCoreNanoSeconds !== undefined) add(pCpu, pl, p.cpu.usageCoreNanoSeconds / 1e9, p.cpu.time);
      if (p.memory?.workingSetBytes !== undefined) add(pMem, pl, p.memory.workingSetBytes, p.memory.time);
      for (const c of p.containers) {
        const cl = { ...pl, container: c.name };
        if (c.cpu?.usageCoreNanoSeconds !== undefined) add(cCpu, cl, c.cpu.usageCoreNanoSeconds / 1e9, c.cpu.time);
        if (c.memory?.workingSetBytes !== undefined) add(cMem, cl, c.memory.workingSetBytes, c.memory.time);
        add(cStart, cl, Math.floor(ms(c.startTime) / 1000), c.startTime);
      }
    }
  }
  return [cCpu, cMem, cStart, nodeCpu, nodeMem, pCpu, pMem, rErr, sErr]
    .map((fam) => `# HELP ${fam.name} ${fam.help}\n# TYPE ${fam.name} ${fam.type}\n${fam.samples.map((s) => `${s}\n`).join('')}`).join('');
}
