/** The service configuration `npm run bench:live` runs with: a local target whose builds stay under .bench/. */
import { defineConfig } from '../sync/config.ts';

export default defineConfig({
  service: {
    // Only triggers run the sync during the bench (the start run aside).
    cron: '0 0 1 1 *',
    target: { kind: 'local', siteDir: '.bench/live/site', keep: 2 },
    trigger: { debounceMs: Number(process.env['BENCH_DEBOUNCE_MS'] ?? 1000) },
    stateDir: '.bench/live/state',
  },
});
