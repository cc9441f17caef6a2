/**
 * CronJob schedule and time zone checks (upstream batch validation with robfig/cron's
 * standard parser): five fields (minute hour day-of-month month day-of-week) of numbers,
 * ranges, steps, lists, `*`, `?` and month/day names, or a descriptor (`@hourly`…).
 */
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: Array<{ min: number; max: number; names?: string[] }> = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS },
];

function fieldErrors(text: string, f: { min: number; max: number; names?: string[] }): string | undefined {
  for (const part of text.split(',')) {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}`;
    if (range === '*' || range === '?') continue;
    for (const bound of range.split('-')) {
      const named = f.names?.indexOf(bound.toLowerCase()) ?? -1;
      const n = named >= 0 ? named + (f.min === 1 ? 1 : 0) : /^\d+$/.test(bound) ? Number(bound) : NaN;
      if (Number.isNaN(n)) return `failed to parse int from ${bound}`;
      if (n < f.min || n > f.max) return `end of range (${n}) above maximum (${f.max}): ${range}`;
    }
  }
  return undefined;
}

/** Messages for a bad schedule ([] when valid); the first is robfig/cron's. */
export function cronScheduleErrors(schedule: string): string[] {
  const s = schedule.trim().replace(/^(TZ|CRON_TZ)=\S+\s+/, '');
  if (s.startsWith('@')) return DESCRIPTORS.has(s) || /^@every \S+$/.test(s) ? [] : [`unrecognized descriptor: ${s}`];
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return [`Expected exactly 5 fields, found ${fields.length}: ${s}`];
  for (const [i, f] of fields.entries()) { const e = fieldErrors(f, FIELDS[i]); if (e) return [e]; }
  return [];
}

/** Whether `tz` names an IANA time zone (the runtime's tz database). */
export function isTimeZone(tz: string): boolean {
  if (!tz) return false;
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}
