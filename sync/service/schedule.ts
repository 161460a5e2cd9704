/**
 * The cron schedule (node-cron v4): `service.cron` / SYNC_CRON read in `service.timeZone` / SYNC_TZ. Both are checked
 * before the service starts, so a typo stops it at once with the variable to fix, not at the first tick.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { ServiceSettings } from '../config.ts';
import { ConfigError } from '../errors.ts';

/** Throws a ConfigError naming SYNC_CRON or SYNC_TZ when the schedule cannot work. */
export function checkSchedule(service: Pick<ServiceSettings, 'cron' | 'timeZone'>): void {
  if (!cron.validate(service.cron)) {
    const detail = cron
      .validateDetailed(service.cron)
      .errors.map((e) => e.message)
      .join('; ');
    throw new ConfigError(
      `SYNC_CRON (or service.cron in workshop.config.ts) is not a cron expression: "${service.cron}"${detail ? ` (${detail})` : ''}. ` +
        'Use 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. SYNC_CRON="*/10 * * * *" for every 10 minutes.',
    );
  }
  if (service.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: service.timeZone });
    } catch {
      throw new ConfigError(
        `SYNC_TZ (or service.timeZone in workshop.config.ts) is not a time zone: "${service.timeZone}". Use an IANA name, e.g. SYNC_TZ=Europe/Berlin, or leave it unset for the machine's zone.`,
      );
    }
  }
}

/** Starts the schedule: `tick` at every match; a tick while the previous one still runs is skipped (noOverlap). */
export function schedule(service: Pick<ServiceSettings, 'cron' | 'timeZone'>, tick: () => Promise<unknown>): ScheduledTask {
  checkSchedule(service);
  return cron.schedule(service.cron, () => tick(), {
    name: 'workshop-sync',
    noOverlap: true,
    ...(service.timeZone === undefined ? {} : { timezone: service.timeZone }),
  });
}
