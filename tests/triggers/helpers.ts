/**
 * Shared set-up of the trigger-script tests: the real sync service (in-process, its HTTP endpoint on 127.0.0.1
 * port 0, against the demo emulators) that the scripts' faked host fetch forwards to, and the scripts' text.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { startService, type Service } from '../../sync/service/service.ts';
import type { RunRecord } from '../../sync/service/types.ts';
import { FAST, lines, ROOT, scratch, serviceConfig, testTarget, waitFor, type Scratch } from '../service/helpers.ts';

/** A trigger script's text, as it is pasted into its host. */
export const scriptText = (name: string): string => readFileSync(`${ROOT}triggers/${name}`, 'utf8');

/**
 * The one network the scripts' faked hosts may really reach: 127.0.0.1 (the local service). Any other address throws,
 * so a test whose fake forgot to answer for GitHub can never reach a live host.
 */
export function localOnly(url: string): string {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`a trigger test tried to reach ${url}: only 127.0.0.1 is allowed`);
  return url;
}

export interface RealService {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  secret: string;
  /** The runs so far (reason, result). */
  runs: RunRecord[];
  /** Waits until `count` runs have finished and nothing more is waiting or running. */
  settled(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The sync service with a fresh 64-character secret, a 50 ms debounce and the `none`-like test target. */
export async function startRealService(): Promise<RealService> {
  const demo: DemoEmulators = await startDemoEmulators({ airtable: { rateLimit: false } });
  const where: Scratch = scratch();
  const secret = randomBytes(32).toString('hex');
  const config = serviceConfig({ ...demo.env, SYNC_PORT: '0', SYNC_TRIGGER_SECRET: secret }, where, { trigger: { debounceMs: 50 } });
  const out = lines();
  const service: Service = await startService({
    config,
    target: testTarget(),
    log: out.onLog,
    print: out.onPrint,
    runAtStart: false,
    policy: FAST,
  });
  return {
    url: service.server!.url,
    secret,
    runs: out.runs,
    settled: async (count) => {
      await waitFor(
        () => out.runs.length >= count && !service.runner.running && !service.runner.queued && !service.triggers.pending,
        `${count} run(s) after the triggers`,
      );
    },
    close: async () => {
      await service.stop(5_000);
      await demo.close();
      where.remove();
    },
  };
}
