/**
 * A request throttle: at most `limit` requests reach the server in any window of `intervalMs`, shared by every
 * caller that holds it (one per Airtable base, shared by all its tables). It also takes a pause (a rate-limit
 * penalty) for everybody at once, and counts the time spent waiting, for the progress line.
 *
 * What counts is when a request reaches the server, which is later than when it starts by an unknown delay: the
 * first request of a process may spend tens of milliseconds opening a connection and compiling its code path,
 * and a sixth request that then starts exactly one window after it can reach the server inside the same window
 * (a 429, and Airtable's 30 s penalty). So once a request is answered, its arrival is estimated as its answer's
 * time less the quickest round trip seen so far — never earlier than its start — and the window counts from there.
 * That estimate cannot see a delay that every request of the first window shares (their round trips are all slow
 * alike, and no quicker one has been seen yet), so the first window's requests count `coldStartMs` later than
 * their estimate: the first window lasts that much longer, once per throttle.
 */

export interface ThrottleOptions {
  /** Requests allowed per window. Airtable: 5 per base. */
  limit?: number;
  /**
   * Window length in ms. Airtable's window is 1 s; the default adds 5 % so that requests stay under the limit
   * even when they reach the server a little closer together than they left.
   */
  intervalMs?: number;
  /**
   * How much later than estimated the first `limit` requests count (see above). Default: a tenth of `intervalMs`
   * (105 ms), twice the 57–60 ms measured between the start of a process's first requests and their leaving it.
   */
  coldStartMs?: number;
}

export interface Throttle {
  /** Runs `task` once a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Holds every request until `ms` from now (e.g. Airtable's 30 s penalty after a 429). */
  pause(ms: number): void;
  /** Total ms that requests waited for a slot or a pause. */
  readonly waitedMs: number;
  /** Requests started so far. */
  readonly started: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Sent {
  start: number;
  /** When the answer came (success or failure); undefined while in flight. */
  end?: number;
  /** Added to the estimated arrival: `coldStartMs` for the first window's requests, 0 after. */
  extra: number;
}

export function createThrottle({ limit = 5, intervalMs = 1050, coldStartMs = intervalMs / 10 }: ThrottleOptions = {}): Throttle {
  /** The last `limit` requests, oldest first. */
  const sent: Sent[] = [];
  let quickest = Infinity;
  const arrival = (s: Sent) => s.extra + (s.end === undefined ? s.start : Math.max(s.start, s.end - quickest));
  let pausedUntil = 0;
  let waitedMs = 0;
  let started = 0;
  let queue: Promise<void> = Promise.resolve();

  async function takeSlot(): Promise<Sent> {
    for (;;) {
      const now = performance.now();
      // The window is full while `limit` requests arrived less than `intervalMs` ago (all of them, not only the
      // oldest: estimates can be later for a younger request than for an older one).
      const free = sent.length < limit ? now : Math.min(...sent.map((s) => arrival(s) + intervalMs));
      const wait = Math.max(pausedUntil - now, free - now);
      if (wait <= 0) break;
      waitedMs += wait;
      await sleep(wait);
    }
    const entry: Sent = { start: performance.now(), extra: started < limit ? coldStartMs : 0 };
    if (sent.length >= limit) {
      // Drop the request whose window ended first.
      let first = 0;
      for (let i = 1; i < sent.length; i++) if (arrival(sent[i]!) < arrival(sent[first]!)) first = i;
      sent.splice(first, 1);
    }
    sent.push(entry);
    started++;
    return entry;
  }

  const answered = (entry: Sent) => {
    entry.end = performance.now();
    quickest = Math.min(quickest, entry.end - entry.start);
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const slot = queue.then(takeSlot);
      queue = slot.then(() => undefined);
      return slot.then((entry) => {
        const pending = task();
        pending.then(
          () => answered(entry),
          () => answered(entry),
        );
        return pending;
      });
    },
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, performance.now() + ms);
    },
    get waitedMs() {
      return Math.round(waitedMs);
    },
    get started() {
      return started;
    },
  };
}

/** One throttle per key (an Airtable base id), made on first use. */
export function createThrottles(options: ThrottleOptions = {}): (key: string) => Throttle {
  const throttles = new Map<string, Throttle>();
  return (key) => {
    let throttle = throttles.get(key);
    if (!throttle) throttles.set(key, (throttle = createThrottle(options)));
    return throttle;
  };
}
