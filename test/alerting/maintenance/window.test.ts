/** Maintenance windows: weekly ranges and cron schedules in a time zone, across DST and midnight. */
import { describe, expect, it } from 'vitest';
import { MaintenanceWindow, maintenanceWindowSchema } from '../../../src/alerting/maintenance/window.js';

const make = (input: unknown) => new MaintenanceWindow(maintenanceWindowSchema.parse(input));

describe('MaintenanceWindow', () => {
  it('is active during a weekly local range, in its time zone, across a DST change', () => {
    const w = make({
      name: 'deploy',
      timeZone: 'Europe/Berlin',
      weekly: [{ days: ['sat'], start: '02:00', end: '04:00' }],
    });
    // Saturday 2026-03-21 02:00 Berlin = 01:00 UTC (CET); Saturday 2026-04-04 02:00 = 00:00 UTC (CEST).
    expect(w.activeAt(Date.UTC(2026, 2, 21, 0, 59))).toBe(false);
    expect(w.activeAt(Date.UTC(2026, 2, 21, 1, 0))).toBe(true);
    expect(w.activeAt(Date.UTC(2026, 2, 21, 2, 59))).toBe(true);
    expect(w.activeAt(Date.UTC(2026, 2, 21, 3, 0))).toBe(false);
    expect(w.activeAt(Date.UTC(2026, 3, 4, 0, 0))).toBe(true);
    expect(w.activeAt(Date.UTC(2026, 3, 4, 2, 0))).toBe(false);
    // Not on other days.
    expect(w.activeAt(Date.UTC(2026, 2, 22, 1, 30))).toBe(false);
    expect(w.occurrenceAt(Date.UTC(2026, 2, 22, 0, 0))).toEqual({
      start: Date.UTC(2026, 2, 28, 1, 0),
      end: Date.UTC(2026, 2, 28, 3, 0),
    });
  });

  it('runs past midnight when the end is before the start', () => {
    const w = make({ name: 'night', weekly: [{ days: ['fri'], start: '23:00', end: '01:30' }] });
    expect(w.activeAt(Date.UTC(2026, 0, 9, 23, 30))).toBe(true); // Friday 23:30
    expect(w.activeAt(Date.UTC(2026, 0, 10, 1, 0))).toBe(true); // Saturday 01:00
    expect(w.activeAt(Date.UTC(2026, 0, 10, 1, 30))).toBe(false);
    expect(w.nextChange(Date.UTC(2026, 0, 9, 23, 30))).toBe(Date.UTC(2026, 0, 10, 1, 30));
  });

  it('follows a cron start with a duration, and answers the next change', () => {
    const w = make({ name: 'backup', cron: '0 */6 * * *', durationMs: 30 * 60_000 });
    const day = Date.UTC(2026, 0, 5);
    expect(w.activeAt(day + 6 * 3_600_000 + 29 * 60_000)).toBe(true);
    expect(w.activeAt(day + 6 * 3_600_000 + 30 * 60_000)).toBe(false);
    expect(w.nextChange(day + 7 * 3_600_000)).toBe(day + 12 * 3_600_000);
    // Repeated queries in one segment agree with fresh ones.
    for (let t = day; t < day + 86_400_000; t += 7 * 60_000) {
      expect(w.activeAt(t)).toBe(
        make({ name: 'b', cron: '0 */6 * * *', durationMs: 30 * 60_000 }).activeAt(t),
      );
    }
  });

  it('matches labels with Alertmanager matchers', () => {
    const w = make({
      name: 'm',
      matchers: ['service=~"checkout|payment"', 'env!="dev"'],
      cron: '0 0 * * *',
      durationMs: 60_000,
    });
    expect(w.matches({ service: 'payment', env: 'prod' })).toBe(true);
    expect(w.matches({ service: 'payment', env: 'dev' })).toBe(false);
    expect(w.matches({ service: 'search' })).toBe(false);
  });

  it('refuses bad schedules with the field named', () => {
    const issues = (input: unknown) =>
      maintenanceWindowSchema
        .safeParse(input)
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ name: 'x', cron: '0 2 * *', durationMs: 60_000 })[0]).toMatch(
      /^cron: cron must have five fields/,
    );
    expect(issues({ name: 'x', cron: '0 2 * * 9', durationMs: 60_000 })[0]).toMatch(/^cron: invalid cron/);
    expect(issues({ name: 'x', cron: '0 2 * * 1' })).toEqual(['durationMs: required with cron']);
    expect(issues({ name: 'x', weekly: [{ days: ['sat'], start: '2:00', end: '04:00' }] })[0]).toMatch(
      /^weekly\.0\.start/,
    );
    expect(issues({ name: 'x', timeZone: 'Mars/Base', cron: '0 2 * * 1', durationMs: 60_000 })[0]).toMatch(
      /^timeZone: unknown time zone/,
    );
    expect(issues({ name: 'x' })).toEqual(['weekly: give exactly one of weekly or cron']);
  });
});
