/**
 * What the endpoint counts about unwelcome requests, per client address: wrong secrets (after `maxFailures` in a
 * window of `windowMs`, that address gets 429 with Retry-After until the window ends, even with the right secret, so
 * guessing cannot go on) and rejected requests (bad target, path or method). Said as one log line per `reportEveryMs`
 * with counts, never the values tried. The address is the TCP peer's: behind a reverse proxy, every client shares it.
 */

export interface GuardOptions {
  /** Wrong secrets accepted from one address per window (default 5). */
  maxFailures?: number;
  /** The window, in ms (default one minute). */
  windowMs?: number;
  /** How often the counts are logged, in ms (default one minute); nothing is logged for a quiet period. */
  reportEveryMs?: number;
  log: (line: string) => void;
}

interface Guard {
  /** Seconds until `address` may try a secret again, or 0 when it may now. */
  blockedFor(address: string): number;
  /** A wrong secret from `address`. */
  failed(address: string): void;
  /** A request from `address` answered 429. */
  limited(address: string): void;
  /** A request answered 4xx for its form (`what`: e.g. `400 for a malformed request target`); the first few are logged at once. */
  rejected(address: string, what: string): void;
  /** Logs what is still uncounted and stops the timer. */
  close(): void;
}

/** The most addresses remembered; beyond it, the oldest window is forgotten first. */
const MAX_ADDRESSES = 10_000;
/** Rejected requests logged one by one per report period; the rest only in its summary. */
const REJECTED_LINES = 5;

export function createGuard(options: GuardOptions): Guard {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const reportEveryMs = options.reportEveryMs ?? 60_000;
  /** Per address: wrong secrets in the window that started at `since`. */
  const windows = new Map<string, { since: number; failures: number }>();
  /** Counts since the last report. */
  let period = { failures: new Map<string, number>(), limited: 0, rejected: 0, since: Date.now() };

  const windowOf = (address: string, now: number) => {
    const found = windows.get(address);
    if (found && now - found.since < windowMs) return found;
    windows.delete(address);
    if (windows.size >= MAX_ADDRESSES) windows.delete(windows.keys().next().value!);
    const fresh = { since: now, failures: 0 };
    windows.set(address, fresh);
    return fresh;
  };

  const report = () => {
    const now = Date.now();
    for (const [address, w] of windows) if (now - w.since >= windowMs) windows.delete(address);
    const { failures, limited, rejected } = period;
    const seconds = Math.round((now - period.since) / 1000);
    period = { failures: new Map(), limited: 0, rejected: 0, since: now };
    if (failures.size === 0 && limited === 0 && rejected === 0) return;
    const wrong = [...failures.values()].reduce((a, b) => a + b, 0);
    const top = [...failures]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([address, n]) => `${address}: ${n}`);
    const from =
      failures.size === 0
        ? ''
        : ` from ${failures.size} address${failures.size === 1 ? '' : 'es'} (${top.join(', ')}${failures.size > 3 ? ', …' : ''})`;
    options.log(
      `HTTP endpoint, last ${seconds} s: ${wrong} wrong secret${wrong === 1 ? '' : 's'}${from}, ${limited} answered 429 (over ${maxFailures} tries a minute), ${rejected} malformed or unknown request${rejected === 1 ? '' : 's'}.`,
    );
  };
  const timer = setInterval(report, reportEveryMs).unref();

  return {
    blockedFor(address) {
      const now = Date.now();
      const w = windows.get(address);
      if (!w || w.failures < maxFailures || now - w.since >= windowMs) return 0;
      return Math.max(1, Math.ceil((w.since + windowMs - now) / 1000));
    },
    failed(address) {
      windowOf(address, Date.now()).failures++;
      // Past MAX_ADDRESSES in one period, new addresses are counted together.
      const key = period.failures.has(address) || period.failures.size < MAX_ADDRESSES ? address : 'other addresses';
      period.failures.set(key, (period.failures.get(key) ?? 0) + 1);
    },
    limited() {
      period.limited++;
    },
    rejected(address, what) {
      period.rejected++;
      if (period.rejected <= REJECTED_LINES) {
        options.log(
          `HTTP endpoint: answered ${what} from ${address}${period.rejected === REJECTED_LINES ? ' (more are only counted, in the next summary line)' : ''}.`,
        );
      }
    },
    close() {
      clearInterval(timer);
      report();
    },
  };
}
