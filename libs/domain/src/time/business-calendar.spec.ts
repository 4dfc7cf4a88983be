import fc from 'fast-check';
import {
  addDaysToLocalDay,
  dayRangeToInstants,
  isCalendarDay,
  isLocalDay,
  isValidTimeZone,
  localDayOf,
  localDaysIn,
  startOfLocalDay,
} from './business-calendar';
import { toEpochMs } from './instant';

describe('localDayOf', () => {
  it('puts 23:30 local time in a UTC-5 zone on that local day, not the UTC one', () => {
    // 2026-01-16T04:30Z is 23:30 on the 15th in Bogota (UTC-5 all year) and New York (EST in winter).
    expect(localDayOf('2026-01-16T04:30:00Z', 'America/Bogota')).toBe('2026-01-15');
    expect(localDayOf('2026-01-16T04:30:00Z', 'America/New_York')).toBe('2026-01-15');
    expect(localDayOf('2026-01-16T04:30:00Z', 'UTC')).toBe('2026-01-16');
  });

  it('moves to the next day exactly at local midnight', () => {
    expect(localDayOf('2026-01-16T04:59:59.999Z', 'America/Bogota')).toBe('2026-01-15');
    expect(localDayOf('2026-01-16T05:00:00Z', 'America/Bogota')).toBe('2026-01-16');
  });

  it('accepts epoch milliseconds', () => {
    expect(localDayOf(Date.parse('2026-07-01T03:00:00Z'), 'America/New_York')).toBe('2026-06-30');
  });

  it('follows New York across the spring-forward gap', () => {
    // 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z).
    expect(localDayOf('2026-03-08T06:59:59Z', 'America/New_York')).toBe('2026-03-08');
    expect(localDayOf('2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-08');
    expect(localDayOf('2026-03-09T03:59:59Z', 'America/New_York')).toBe('2026-03-08');
    expect(localDayOf('2026-03-09T04:00:00Z', 'America/New_York')).toBe('2026-03-09');
  });
});

describe('localDaysIn', () => {
  it('gives every instant the day localDayOf gives, across offset changes and at the ends of the calendar', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'America/Havana',
    ];
    const starts = [
      Date.parse('2025-03-08T00:00:00Z'),
      Date.parse('2025-10-04T00:00:00Z'),
      Date.parse('9999-12-30T00:00:00Z'),
    ];
    const different: [string, number][] = [];
    for (const zone of zones) {
      const dayOf = localDaysIn(zone);
      for (const start of starts) {
        // Every 7 minutes and 13.5 seconds over five weeks: every hour, either side of each change.
        for (let ms = start; ms < start + 35 * 86_400_000; ms += 433_500) {
          if (ms > Date.parse('9999-12-31T23:59:59.999Z')) break;
          if (dayOf(ms) !== localDayOf(ms, zone)) different.push([zone, ms]);
        }
      }
      expect(dayOf('2025-11-02T05:30:00.000Z')).toBe(localDayOf('2025-11-02T05:30:00.000Z', zone));
    }
    expect(different).toEqual([]);
  });
});

describe('dayRangeToInstants', () => {
  it('turns inclusive local days into a half-open instant range', () => {
    expect(dayRangeToInstants('2026-01-01', '2026-01-31', 'UTC')).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect(dayRangeToInstants('2026-01-15', '2026-01-15', 'America/Bogota')).toEqual([
      '2026-01-15T05:00:00.000Z',
      '2026-01-16T05:00:00.000Z',
    ]);
  });

  it('gives the New York spring-forward day 23 hours and the fall-back day 25', () => {
    const [springStart, springEnd] = dayRangeToInstants('2026-03-08', '2026-03-08', 'America/New_York');
    expect([springStart, springEnd]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(toEpochMs(springEnd) - toEpochMs(springStart)).toBe(23 * 3_600_000);

    const [fallStart, fallEnd] = dayRangeToInstants('2026-11-01', '2026-11-01', 'America/New_York');
    expect([fallStart, fallEnd]).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(toEpochMs(fallEnd) - toEpochMs(fallStart)).toBe(25 * 3_600_000);
  });

  it('starts a day whose midnight does not exist at the moment clocks jump (Santiago)', () => {
    // 2025-09-07 00:00 in Santiago never happened: 23:59:59 -04 was followed by 01:00 -03 (04:00Z).
    expect(startOfLocalDay('2025-09-07', 'America/Santiago')).toBe('2025-09-07T04:00:00.000Z');
    expect(localDayOf('2025-09-07T03:59:59.999Z', 'America/Santiago')).toBe('2025-09-06');
  });

  it('starts a day whose midnight happens twice at the first one (Havana)', () => {
    // 2025-11-02 01:00 CDT fell back to 00:00 CST, so local midnight was at 04:00Z and again at 05:00Z.
    expect(startOfLocalDay('2025-11-02', 'America/Havana')).toBe('2025-11-02T04:00:00.000Z');
  });

  it('rejects a reversed range and malformed days', () => {
    expect(() => dayRangeToInstants('2026-02-01', '2026-01-31', 'UTC')).toThrow(RangeError);
    expect(() => dayRangeToInstants('2026-02-30', '2026-03-01', 'UTC')).toThrow(RangeError);
  });

  it('always contains the instant whose local day it was built from', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'America/Bogota',
      'America/Santiago',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const day = localDayOf(ms, zone);
          const [start, end] = dayRangeToInstants(day, day, zone);
          expect(toEpochMs(start)).toBeLessThanOrEqual(ms);
          expect(ms).toBeLessThan(toEpochMs(end));
          // start is the first instant of the day: one millisecond earlier is the previous day
          expect(localDayOf(toEpochMs(start) - 1, zone)).toBe(addDaysToLocalDay(day, -1));
        },
      ),
    );
  });
});

describe('calendar inputs', () => {
  it('knows IANA zones through Intl', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('checks calendar days strictly', () => {
    expect(isLocalDay('2024-02-29')).toBe(true);
    expect(isLocalDay('2025-02-29')).toBe(false);
    expect(isLocalDay('2025-1-05')).toBe(false);
    expect(addDaysToLocalDay('2025-12-31', 1)).toBe('2026-01-01');
  });
});

describe('the ends of the calendar', () => {
  it('knows which days a request may name', () => {
    expect(isCalendarDay('1970-01-01')).toBe(true);
    expect(isCalendarDay('9999-12-31')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    for (const day of ['1969-12-31', '0000-01-01', '2027-02-29', '2027-02-30', '10000-01-01', '2027-1-01'])
      expect([day, isCalendarDay(day)]).toEqual([day, false]);
  });

  it('turns a range ending on 9999-12-31 into instants, in every zone', () => {
    expect(dayRangeToInstants('2027-01-01', '9999-12-31', 'UTC')).toEqual([
      '2027-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
    ]);
    const [, newYork] = dayRangeToInstants('9999-12-31', '9999-12-31', 'America/New_York');
    expect(toEpochMs(newYork)).toBe(Date.UTC(10_000, 0, 1, 5));
    const [tokyoStart, tokyoEnd] = dayRangeToInstants('1970-01-01', '9999-12-31', 'Asia/Tokyo');
    expect(toEpochMs(tokyoStart)).toBeLessThan(0);
    expect(toEpochMs(tokyoEnd)).toBeLessThan(Date.UTC(10_000, 0, 1));
  });

  it('writes the local days after 9999 with five digits, as PostgreSQL reads them', () => {
    expect(localDayOf('9999-12-31T23:00:00Z', 'Asia/Tokyo')).toBe('10000-01-01');
    expect(localDayOf('1970-01-01T00:00:00Z', 'America/New_York')).toBe('1969-12-31');
  });
});
