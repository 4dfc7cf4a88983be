import fc from 'fast-check';
import { LAST_INSTANT_MS, isIsoInstant, parseIsoInstant } from './instant';

describe('parseIsoInstant: real moments of 1970..9999 only', () => {
  it.each([
    ['2027-03-04T05:06:07Z', '2027-03-04T05:06:07.000Z'],
    ['2028-02-29T23:59:59.5Z', '2028-02-29T23:59:59.500Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2027-03-04T05:06:07.123456789Z', '2027-03-04T05:06:07.123Z'],
    ['2027-03-04t05:06:07z', '2027-03-04T05:06:07.000Z'],
    ['2027-03-01T00:30:00+01:00', '2027-02-28T23:30:00.000Z'],
    ['2027-12-31T20:00:00-05:30', '2028-01-01T01:30:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
    ['1970-01-01T01:00:00+01:00', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('accepts %s as %s', (value, normal) => {
    expect(new Date(parseIsoInstant(value)!).toISOString()).toBe(normal);
  });

  it.each([
    '2027-02-29T10:00:00Z', // not a leap year
    '1900-02-29T10:00:00Z',
    '2027-02-30T10:00:00Z',
    '2027-04-31T10:00:00Z',
    '2027-13-01T10:00:00Z',
    '2027-00-10T10:00:00Z',
    '2027-01-00T10:00:00Z',
    '2027-01-01T24:00:00Z',
    '2027-01-01T10:60:00Z',
    '2027-06-30T23:59:60Z', // a leap second
    '2027-01-01T10:00:00+24:00',
    '2027-01-01T10:00:00+05:60',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:30:00+01:00', // 1969 in UTC
    '9999-12-31T20:00:00-05:00', // 10000 in UTC
    '10000-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '2027-01-01',
    '2027-01-01T10:00Z',
    '2027-01-01 10:00:00Z',
    '2027-01-01T10:00:00',
    '2027-01-01T10:00:00.Z',
    '2027-01-01T10:00:00.1234567890Z',
    ' 2027-01-01T10:00:00Z',
  ])('refuses %s', (value) => {
    expect(parseIsoInstant(value)).toBeNull();
    expect(isIsoInstant(value)).toBe(false);
  });

  it('agrees with Date for every millisecond of the calendar written in UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LAST_INSTANT_MS }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseIsoInstant(text)).toBe(ms);
      }),
    );
  });
});
