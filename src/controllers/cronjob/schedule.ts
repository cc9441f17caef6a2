/**
 * CronJob schedules as times: "the next schedule time after t in time zone Z", following
 * robfig/cron v3's standard parser and SpecSchedule.Next, which upstream's CronJob
 * controller (pkg/controller/cronjob) uses. Validation messages come from the API's own
 * checker (api/batch/v1/cron-schedule.ts); this file turns a valid schedule into field
 * sets and walks wall-clock time in the zone through Intl (the runtime's tz database).
 *
 * Times are milliseconds since the Unix epoch throughout.
 */
import { cronScheduleErrors, isTimeZone } from '../../api/batch/v1/cron-schedule.js';
import { parseGoDurationMs } from '../../machinery/duration.js';

/** A parsed schedule: `next(t)` is the first schedule time strictly after `t` (ms), or undefined when none within five years (robfig's zero time). */
export interface CronSchedule {
  next(afterMs: number): number | undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
interface FieldBounds { min: number; max: number; names?: string[] }
const FIELDS: FieldBounds[] = [
  { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, { min: 1, max: 12, names: MONTHS }, { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const FIVE_YEARS_MS = 5 * 366 * 86_400_000;

/** One field's allowed values, and whether it was written as `*`/`?` without a step (robfig's star bit, which matters for day-of-month vs day-of-week). */
interface Field { allowed: boolean[]; star: boolean }

function parseField(text: string, f: FieldBounds): Field {
  const allowed = new Array<boolean>(f.max + 1).fill(false);
  let star = false;
  const value = (s: string): number => {
    const named = f.names?.indexOf(s.toLowerCase()) ?? -1;
    return named >= 0 ? named + (f.min === 1 ? 1 : 0) : Number(s);
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number; let hi: number;
    if (range === '*' || range === '?') {
      lo = f.min; hi = f.max;
      if (step <= 1) star = true;
    } else {
      const bounds = range.split('-');
      lo = value(bounds[0]);
      hi = bounds.length > 1 ? value(bounds[1]) : stepText !== undefined ? f.max : lo;
    }
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    if (step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    for (let v = lo; v <= hi; v += step) allowed[v] = true;
  }
  return { allowed, star };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall-clock fields of instant `ms` in `timeZone` (undefined: the process's local zone). */
export function wallClock(ms: number, timeZone?: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const key = timeZone ?? '';
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(key, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second, weekday };
}

/** The zone's offset from UTC at instant `ms`, in ms (east positive). */
function offsetAt(ms: number, timeZone?: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant of wall time y-m-d h:mi in the zone (month 1-12; day may overflow as with Date.UTC). */
function wallToInstant(y: number, m: number, d: number, h: number, mi: number, timeZone?: string): number {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second;
}

/**
 * Parses a CronJob schedule (five fields, a descriptor such as `@hourly`, or `@every <Go
 * duration>`, optionally prefixed `CRON_TZ=<zone> ` or `TZ=<zone> `) into a schedule
 * evaluated in `timeZone` (IANA name; undefined: the controller's local zone), as
 * robfig/cron's ParseStandard. Throws Error with robfig's message when the text is bad.
 */
export function parseCronSchedule(spec: string, timeZone?: string): CronSchedule {
  let text = spec.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    if (!isTimeZone(tz[1])) throw new Error(`provided bad location ${tz[1]}: unknown time zone ${tz[1]}`);
    timeZone = tz[1];
    text = text.slice(tz[0].length).trim();
  }
  const errors = cronScheduleErrors(text);
  if (errors.length) throw new Error(errors[0]);
  if (text.startsWith('@every ')) {
    const d = parseGoDurationMs(text.slice('@every '.length).trim());
    if (d === undefined) throw new Error(`failed to parse duration ${text}`);
    const delay = Math.max(1000, Math.floor(d / 1000) * 1000);
    return { next: (t) => t + delay - (((t % 1000) + 1000) % 1000) };
  }
  const fields = (DESCRIPTORS[text] ?? text).split(/\s+/).map((f, i) => parseField(f, FIELDS[i]));
  const [minutes, hours, dom, months, dow] = fields;
  const dayMatches = (w: ReturnType<typeof wallClock>): boolean => {
    const a = dom.allowed[w.day]; const b = dow.allowed[w.weekday];
    return dom.star || dow.star ? a && b : a || b;
  };
  return {
    next(t) {
      const limit = t + FIVE_YEARS_MS;
      let c = Math.floor(t / 60_000) * 60_000 + 60_000;
      const jumpTo = (target: number) => (target > c ? target : c + 60_000);
      while (c <= limit) {
        const w = wallClock(c, timeZone);
        if (!months.allowed[w.month]) { c = jumpTo(wallToInstant(w.year, w.month + 1, 1, 0, 0, timeZone)); continue; }
        if (!dayMatches(w)) { c = jumpTo(wallToInstant(w.year, w.month, w.day + 1, 0, 0, timeZone)); continue; }
        if (!hours.allowed[w.hour]) { c = jumpTo(c - w.minute * 60_000 + 3_600_000); continue; }
        if (!minutes.allowed[w.minute]) { c += 60_000; continue; }
        return c;
      }
      return undefined;
    },
  };
}

/** RFC 3339 text of instant `ms` in `timeZone` with its offset (`Z` for zero), as Go's time.Format(time.RFC3339). */
export function rfc3339InZone(ms: number, timeZone = 'UTC'): string {
  const w = wallClock(ms, timeZone);
  const off = Math.round(offsetAt(ms, timeZone) / 60_000);
  const pad = (n: number, l = 2) => String(n).padStart(l, '0');
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}
