/**
 * Progressive enhancement: shows each time also in the visitor's own zone (via Intl, DST-safe), with the
 * visitor's date when it falls on another day, a toggle to hide them again, and a "now" marker during the
 * event. Without JavaScript the page shows the event's own times, complete.
 */
const STORAGE_KEY = 'show-visitor-time';
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const timeFormat = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });
const zoneFormat = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' });
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });

const wallClock = (date: Date, timeZone: string) => date.toLocaleString('en-US', { timeZone, hourCycle: 'h23' });
const zoneName = (date: Date) => zoneFormat.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? zone;

/** Fills `<span class="visitor-time" data-start data-end? data-day data-tz>`; returns whether any differs from the event's zone. */
function fill(): boolean {
  let differs = false;
  for (const el of document.querySelectorAll<HTMLElement>('.visitor-time[data-start]')) {
    const start = new Date(el.dataset['start']!);
    const end = el.dataset['end'] ? new Date(el.dataset['end']) : undefined;
    const range = end ? `${timeFormat.format(start)}–${timeFormat.format(end)}` : timeFormat.format(start);
    const day = isoDay.format(start) === el.dataset['day'] ? '' : ` (${dayFormat.format(start)})`;
    el.textContent = `${range} ${zoneName(start)}${day}`;
    if (wallClock(start, el.dataset['tz']!) !== wallClock(start, zone)) differs = true;
  }
  return differs;
}

function show(on: boolean): void {
  document.documentElement.classList.toggle('show-visitor-time', on);
  for (const el of document.querySelectorAll<HTMLElement>('.visitor-time')) el.hidden = !on;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tz-button]')) {
    button.setAttribute('aria-pressed', String(on));
  }
}

function markNow(): void {
  const now = Date.now();
  for (const row of document.querySelectorAll<HTMLElement>('[data-schedule] tr[data-start]')) {
    const live = now >= Date.parse(row.dataset['start']!) && now < Date.parse(row.dataset['end']!);
    row.classList.toggle('is-now', live);
    if (live) row.setAttribute('aria-current', 'time');
    else row.removeAttribute('aria-current');
  }
}

if (fill()) {
  for (const control of document.querySelectorAll<HTMLElement>('[data-tz-toggle]')) {
    control.hidden = false;
    control.querySelector('[data-tz-name]')!.textContent = zone;
    control.querySelector('button')!.addEventListener('click', (event) => {
      const on = (event.currentTarget as HTMLElement).getAttribute('aria-pressed') !== 'true';
      try {
        localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
      } catch {
        // Storage may be unavailable (private mode): the toggle still works for this page.
      }
      show(on);
    });
  }
  let stored: string | null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  show(stored !== '0');
}
markNow();
setInterval(markNow, 30_000);
