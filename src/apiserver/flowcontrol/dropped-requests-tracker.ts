/**
 * The Retry-After of refused requests, per priority level (upstream k8s.io/apiserver/pkg/
 * util/flowcontrol/dropped_requests_tracker.go, in the manner of TCP's congestion window).
 * Refusals are counted per second; when a new second's first refusal comes, the window
 * [now − retryAfter, now) is looked at: at least 3 × retryAfter refusals, and retryAfter
 * seconds since the last increase, double it (at most 32 s); fewer than retryAfter
 * refusals take one second off (at least 1 s). A level never refused answers 1 s.
 */

const MAX_RETRY_AFTER = 32;

interface SecondCount { sec: number; count: number }
interface LevelDrops { retryAfter: number; increasedAt: number; current: SecondCount; history: SecondCount[] }

export class DroppedRequestsTracker {
  private readonly levels = new Map<string, LevelDrops>();

  /** `now` in milliseconds (default Date.now). */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Notes a refusal of a request of `priorityLevel`. */
  recordDropped(priorityLevel: string): void {
    const sec = Math.floor(this.now() / 1000);
    let l = this.levels.get(priorityLevel);
    if (!l) this.levels.set(priorityLevel, (l = { retryAfter: 1, increasedAt: 0, current: { sec, count: 0 }, history: [] }));
    if (l.current.sec === sec) { l.current.count++; return; }
    // A new second: the finished one joins the history, and retryAfter is reconsidered.
    l.history.push(l.current);
    const keep = Math.min(2 * l.retryAfter, MAX_RETRY_AFTER);
    l.history = l.history.filter((h) => l!.current.sec - h.sec <= keep);
    l.current = { sec, count: 1 };
    this.reconsider(l, sec);
  }

  /** The Retry-After seconds to give a refused request of `priorityLevel`. */
  retryAfter(priorityLevel: string): number {
    return this.levels.get(priorityLevel)?.retryAfter ?? 1;
  }

  private reconsider(l: LevelDrops, sec: number): void {
    const drops = l.history.filter((h) => sec - h.sec <= l.retryAfter && h.sec < sec).reduce((n, h) => n + h.count, 0);
    if (sec - l.increasedAt >= l.retryAfter && drops >= 3 * l.retryAfter) {
      l.retryAfter = Math.min(MAX_RETRY_AFTER, l.retryAfter * 2);
      l.increasedAt = sec;
    } else if (drops < l.retryAfter && l.retryAfter > 1) {
      l.retryAfter--;
    }
  }
}
