/**
 * The seats of one limited priority level and, for `Queue` levels, its queues (upstream
 * k8s.io/apiserver/pkg/util/flowcontrol/fairqueuing/queueset). A request asks for `seats`;
 * it runs at once while the level has them, else:
 *  - a `Reject` level refuses it (`concurrency-limit`);
 *  - a `Queue` level deals the flow a hand of queues (shuffle-sharding.ts), puts the
 *    request in the hand's least loaded queue (refused `queue-full` at queueLengthLimit)
 *    and dispatches by fair queuing: start-time fair queuing over seats, each queue's
 *    next request tagged with max(virtual time, the queue's last finish tag), the
 *    smallest tag first (ties round-robin), the head never skipped for a narrower one.
 *    A request that waited `waitLimitMs` is refused (`time-out`); one whose signal aborts
 *    leaves its queue (`cancelled`).
 * A request wider than the whole limit runs when nothing else does.
 */
import { dealHand } from './shuffle-sharding.js';

export interface QueuingParameters { queues: number; handSize: number; queueLengthLimit: number }
export type RejectReason = 'queue-full' | 'time-out' | 'cancelled' | 'concurrency-limit';

/** The outcome of {@link FairQueueSet.admit}: run (then call `release` once), or refused with upstream's reason. */
export type Admission =
  | { dispatched: true; waitedMs: number; release(): void }
  | { dispatched: false; waitedMs: number; reason: RejectReason };

export interface AdmitRequest {
  /** The flow's hash (shuffle-sharding.ts flowHash). */
  flowHash: bigint;
  /** Seats the request occupies while it runs (≥ 1). */
  seats: number;
  /** Longest wait in a queue before `time-out`. */
  waitLimitMs: number;
  /** Aborting while queued refuses the request as `cancelled`. */
  signal?: AbortSignal;
  /** Called when the request has to wait in a queue. */
  onQueued?: () => void;
}

interface Waiting {
  seats: number; flowHash: bigint; startTag: number; enqueuedAt: number; queue: Queue;
  settle(a: Admission): void;
}
interface Queue { index: number; waiting: Waiting[]; lastFinishTag: number; executingSeats: number }

export interface FairQueueSetOptions {
  /** Seats of the level (its concurrency limit, ≥ 1). */
  limit: number;
  /** Queue parameters; absent: a Reject level. */
  queuing?: QueuingParameters;
  /** Milliseconds clock (default performance.now). */
  now?: () => number;
}

export class FairQueueSet {
  private limit: number;
  private queuing?: QueuingParameters;
  private queues: Queue[] = [];
  private seatsInUse = 0;
  private virtualTime = 0;
  private lastDispatched = -1;
  /** Highest seat demand (running + waiting seats) since the last {@link takePeakDemand}. */
  private peakDemand = 0;
  private readonly now: () => number;

  constructor(opts: FairQueueSetOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.limit = Math.max(1, opts.limit);
    this.configure(opts.queuing, this.limit);
  }

  /** Seats taken by running requests. */
  get executingSeats(): number { return this.seatsInUse; }
  /** Requests waiting in queues. */
  get waitingCount(): number { return this.queues.reduce((n, q) => n + q.waiting.length, 0); }
  /** The concurrency limit in seats. */
  get concurrencyLimit(): number { return this.limit; }
  /** Seats asked for now: running plus waiting. */
  get seatDemand(): number { return this.seatsInUse + this.queues.reduce((n, q) => n + q.waiting.reduce((m, w) => m + w.seats, 0), 0); }

  /** The highest seat demand since the last call (borrowing.ts reads it each period), then starts over from the current demand. */
  takePeakDemand(): number {
    const peak = Math.max(this.peakDemand, this.seatDemand);
    this.peakDemand = this.seatDemand;
    return peak;
  }

  private noteDemand(): void { this.peakDemand = Math.max(this.peakDemand, this.seatDemand); }

  /**
   * Applies a new limit and queuing (undefined: Reject). Waiting requests are dealt into
   * the new queues in their order when the queue count or hand size changes; becoming a
   * Reject level lets them wait for seats in one queue.
   */
  configure(queuing: QueuingParameters | undefined, limit: number): void {
    this.limit = Math.max(1, limit);
    const same = this.queuing && queuing && this.queuing.queues === queuing.queues && this.queuing.handSize === queuing.handSize;
    this.queuing = queuing;
    if (!same) {
      const waiting = this.queues.flatMap((q) => q.waiting).sort((a, b) => a.enqueuedAt - b.enqueuedAt);
      const executing = this.queues.map((q) => q.executingSeats);
      const n = Math.max(1, queuing?.queues ?? 1);
      this.queues = Array.from({ length: n }, (_, index) => ({ index, waiting: [], lastFinishTag: 0, executingSeats: 0 }));
      // Seats already running stay counted on queue 0 (their release finds it by reference).
      this.queues[0].executingSeats = executing.reduce((a, b) => a + b, 0);
      for (const w of waiting) this.enqueue(w, this.choose(w.flowHash));
    }
    this.dispatch();
  }

  /** Runs or queues a request; see the class comment. Resolves once it runs or is refused. */
  admit(r: AdmitRequest): Promise<Admission> {
    const t0 = this.now();
    const seats = Math.max(1, Math.ceil(r.seats));
    const nothingWaits = this.waitingCount === 0;
    if (nothingWaits && this.fits(seats)) {
      // Runs at once, yet counts in its queue's tags as if dispatched from it.
      const q = this.queuing ? this.choose(r.flowHash) : this.queues[0];
      const start = Math.max(this.virtualTime, q.lastFinishTag);
      q.lastFinishTag = start + seats;
      this.virtualTime = start;
      return Promise.resolve(this.run(q, seats, t0));
    }
    if (!this.queuing) return Promise.resolve({ dispatched: false, waitedMs: 0, reason: 'concurrency-limit' });
    if (r.signal?.aborted) return Promise.resolve({ dispatched: false, waitedMs: 0, reason: 'cancelled' });
    const queue = this.choose(r.flowHash);
    if (queue.waiting.length >= this.queuing.queueLengthLimit) return Promise.resolve({ dispatched: false, waitedMs: 0, reason: 'queue-full' });
    return new Promise<Admission>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => this.remove(w, 'cancelled');
      const w: Waiting = {
        seats, flowHash: r.flowHash, startTag: 0, enqueuedAt: t0, queue,
        settle: (a) => { clearTimeout(timer); r.signal?.removeEventListener('abort', onAbort); resolve(a); },
      };
      timer = setTimeout(() => this.remove(w, 'time-out'), r.waitLimitMs);
      r.signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(w, queue);
      r.onQueued?.();
      this.dispatch();
    });
  }

  private fits(seats: number): boolean { return this.seatsInUse + seats <= this.limit || this.seatsInUse === 0; }

  /** The least loaded queue (waiting plus running seats) of the flow's hand; the first of equals. */
  private choose(hash: bigint): Queue {
    if (this.queues.length === 1) return this.queues[0];
    const hand = dealHand(hash, this.queues.length, Math.min(this.queuing?.handSize ?? 1, this.queues.length));
    let best = this.queues[hand[0]];
    const load = (q: Queue): number => q.executingSeats + q.waiting.reduce((n, w) => n + w.seats, 0);
    for (const i of hand.slice(1)) if (load(this.queues[i]) < load(best)) best = this.queues[i];
    return best;
  }

  private enqueue(w: Waiting, queue: Queue): void {
    w.queue = queue;
    w.startTag = Math.max(this.virtualTime, queue.lastFinishTag);
    queue.lastFinishTag = w.startTag + w.seats;
    queue.waiting.push(w);
    this.noteDemand();
  }

  private remove(w: Waiting, reason: RejectReason): void {
    const i = w.queue.waiting.indexOf(w);
    if (i < 0) return;
    w.queue.waiting.splice(i, 1);
    w.settle({ dispatched: false, waitedMs: this.now() - w.enqueuedAt, reason });
    this.dispatch();
  }

  private run(queue: Queue, seats: number, since: number): Admission {
    this.seatsInUse += seats;
    this.noteDemand();
    queue.executingSeats += seats;
    let released = false;
    return {
      dispatched: true, waitedMs: this.now() - since,
      release: () => {
        if (released) return;
        released = true;
        this.seatsInUse -= seats;
        // The queue may have been replaced by configure(): then its seats moved to queue 0.
        const q = this.queues[queue.index] === queue ? queue : this.queues[0];
        q.executingSeats = Math.max(0, q.executingSeats - seats);
        this.dispatch();
      },
    };
  }

  /** Dispatches heads by smallest start tag while their seats fit. */
  private dispatch(): void {
    for (;;) {
      let best: Queue | undefined;
      const n = this.queues.length;
      for (let k = 1; k <= n; k++) {
        const q = this.queues[(this.lastDispatched + k) % n];
        if (q?.waiting.length && (!best || q.waiting[0].startTag < best.waiting[0].startTag)) best = q;
      }
      if (!best || !this.fits(best.waiting[0].seats)) return;
      const w = best.waiting.shift()!;
      this.virtualTime = Math.max(this.virtualTime, w.startTag);
      this.lastDispatched = best.index;
      w.settle(this.run(best, w.seats, w.enqueuedAt));
    }
  }
}
