/**
 * Debounce for triggers: a burst of calls makes one call of `fn`, `waitMs` after the burst goes quiet. The wait is
 * capped at `maxWaitMs` after the burst's first call, so a stream of edits that never goes quiet still syncs.
 */

export interface Debouncer {
  /** Asks for a call; pushes the call back to `waitMs` from now (never past the cap). */
  push(): void;
  /** Drops a waiting call. */
  cancel(): void;
  /** A call is waiting. */
  readonly pending: boolean;
}

export function createDebouncer(fn: () => void, options: { waitMs: number; maxWaitMs: number }): Debouncer {
  let timer: NodeJS.Timeout | undefined;
  let firstAt: number | undefined;
  const fire = () => {
    timer = undefined;
    firstAt = undefined;
    fn();
  };
  return {
    push() {
      const now = Date.now();
      firstAt ??= now;
      clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(options.waitMs, firstAt + options.maxWaitMs - now)));
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      firstAt = undefined;
    },
    get pending() {
      return timer !== undefined;
    },
  };
}
