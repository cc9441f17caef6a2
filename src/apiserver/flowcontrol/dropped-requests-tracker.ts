/**
 * The Retry-After of refused requests, per priority level (upstream k8s.io/apiserver/pkg/
 * util/flowcontrol dropped_requests_tracker.go, in the manner of TCP's congestion window):
 * it starts at 1 s; when 3 or more requests of the level were refused within the current
 * Retry-After window since its last change, it doubles (at most 32 s); when a whole window
 * passes with fewer, it goes down by one second (at least 1 s).
 */

const MAX_RETRY_AFTER = 32;
const DOUBLE_AT = 3;

interface LevelDrops { retryAfter: number; changedAt: number; drops: number[] }

export class DroppedRequestsTracker {
  private readonly levels = new Map<string, LevelDrops>();

  /** `now` in milliseconds (default Date.now). */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Notes a refusal of a request of `priorityLevel`. */
  recordDropped(priorityLevel: string): void {
    const l = this.level(priorityLevel);
    l.drops.push(this.now());
    this.update(l, true);
  }

  /** The Retry-After seconds to give a refused request of `priorityLevel`. */
  retryAfter(priorityLevel: string): number {
    const l = this.level(priorityLevel);
    this.update(l, false);
    return l.retryAfter;
  }

  private level(name: string): LevelDrops {
    let l = this.levels.get(name);
    if (!l) this.levels.set(name, (l = { retryAfter: 1, changedAt: this.now(), drops: [] }));
    return l;
  }

  /** Drops counted are those since the last change within the current window; a change starts the count afresh. */
  private update(l: LevelDrops, mayGrow: boolean): void {
    const now = this.now();
    const windowMs = l.retryAfter * 1000;
    l.drops = l.drops.filter((t) => t > now - windowMs);
    if (mayGrow && l.drops.length >= DOUBLE_AT && l.retryAfter < MAX_RETRY_AFTER) {
      l.retryAfter = Math.min(MAX_RETRY_AFTER, l.retryAfter * 2);
      l.changedAt = now;
      l.drops = [];
    } else if (l.drops.length < DOUBLE_AT && now - l.changedAt >= windowMs && l.retryAfter > 1) {
      l.retryAfter -= 1;
      l.changedAt = now;
      l.drops = [];
    }
  }
}
