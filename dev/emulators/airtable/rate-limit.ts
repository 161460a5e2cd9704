/**
 * Airtable's per-base rate limit: `requestsPerSecond` in a sliding 1 s window; the request over the limit starts a
 * penalty of `penaltyMs` during which the base refuses everything.
 */

/** The limit of every base. */
export interface RateLimit {
  requestsPerSecond: number;
  penaltyMs: number;
}

/** The request times and penalty of each base. */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  readonly #windows = new Map<string, { recent: number[]; blockedUntil: number }>();

  constructor(limit: RateLimit, now: () => number) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Counts a request to `baseId`; false when it is over the limit or within a penalty (then answer 429). */
  allow(baseId: string): boolean {
    const time = this.#now();
    const window = this.#windows.get(baseId) ?? { recent: [], blockedUntil: 0 };
    this.#windows.set(baseId, window);
    window.recent = window.recent.filter((t) => time - t < 1000);
    if (time < window.blockedUntil || window.recent.length >= this.#limit.requestsPerSecond) {
      if (time >= window.blockedUntil) window.blockedUntil = time + this.#limit.penaltyMs;
      return false;
    }
    window.recent.push(time);
    return true;
  }
}
