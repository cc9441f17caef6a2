/**
 * CRI container log files (kubelet's pkg/kubelet/kuberuntime/logs): lines of
 * `<RFC3339Nano> <stdout|stderr> <F|P> <text>`; P marks a partial line continued by the
 * next. {@link parseCriLog} turns file content into the user's output.
 */
export interface LogOptions { timestamps?: boolean; tailLines?: number; sinceTime?: number; limitBytes?: number }

export interface LogLine { time: string; stream: string; text: string; full: boolean }

/** Parses complete lines of a CRI log (a trailing incomplete line is returned as `rest`). */
export function parseCriLines(content: string): { lines: LogLine[]; rest: string } {
  const parts = content.split('\n');
  const rest = parts.pop() ?? '';
  const lines: LogLine[] = [];
  for (const l of parts) {
    const a = l.indexOf(' ');
    const b = l.indexOf(' ', a + 1);
    const c = l.indexOf(' ', b + 1);
    if (a < 0 || b < 0) continue;
    const tag = c < 0 ? l.slice(b + 1) : l.slice(b + 1, c);
    lines.push({ time: l.slice(0, a), stream: l.slice(a + 1, b), text: c < 0 ? '' : l.slice(c + 1), full: tag !== 'P' });
  }
  return { lines, rest };
}

/** Renders lines as `kubectl logs` prints them. */
export function renderLines(lines: LogLine[], opts: LogOptions): string {
  let out = '';
  let start = true;
  for (const l of lines) {
    if (opts.sinceTime && Date.parse(l.time) < opts.sinceTime) continue;
    if (opts.timestamps && start) out += `${l.time} `;
    out += l.text + (l.full ? '\n' : '');
    start = l.full;
  }
  return out;
}

/** Whole-file rendering with tailLines and limitBytes. */
export function parseCriLog(content: string, opts: LogOptions = {}): string {
  let { lines } = parseCriLines(content.endsWith('\n') || !content ? content : content + '\n');
  if (opts.tailLines !== undefined && opts.tailLines >= 0) {
    // Count full lines from the end.
    let n = 0;
    let i = lines.length;
    while (i > 0 && n < opts.tailLines) { i--; if (lines[i].full) n++; while (i > 0 && !lines[i - 1].full) i--; }
    lines = opts.tailLines === 0 ? [] : lines.slice(i);
  }
  const out = renderLines(lines, opts);
  return opts.limitBytes ? Buffer.from(out).subarray(0, opts.limitBytes).toString() : out;
}
