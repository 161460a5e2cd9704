/**
 * A request throttle: at most `limit` requests start in any window of `intervalMs`, shared by every caller that
 * holds it (one per Airtable base, shared by all its tables). It also takes a pause (a rate-limit penalty) for
 * everybody at once, and counts the time spent waiting, for the progress line.
 */

export interface ThrottleOptions {
  /** Requests allowed per window. Airtable: 5 per base. */
  limit?: number;
  /**
   * Window length in ms. Airtable's window is 1 s; the default adds 5 % so that requests stay under the limit
   * even when they reach the server a little closer together than they left.
   */
  intervalMs?: number;
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

export function createThrottle({ limit = 5, intervalMs = 1050 }: ThrottleOptions = {}): Throttle {
  const starts: number[] = [];
  let pausedUntil = 0;
  let waitedMs = 0;
  let started = 0;
  let queue: Promise<void> = Promise.resolve();

  async function takeSlot(): Promise<void> {
    for (;;) {
      const now = performance.now();
      const oldest = starts.length >= limit ? starts[starts.length - limit]! : -Infinity;
      const wait = Math.max(pausedUntil - now, oldest + intervalMs - now);
      if (wait <= 0) break;
      waitedMs += wait;
      await sleep(wait);
    }
    starts.push(performance.now());
    if (starts.length > limit) starts.shift();
    started++;
  }

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const slot = queue.then(takeSlot);
      queue = slot;
      return slot.then(task);
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
