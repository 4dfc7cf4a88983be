import type { ReferralRecordedData } from '../events/domain-events';
import { aPartner, byId, settingsWith } from '../testing/fixtures';
import type { AttributionSettings, ClickRecord, ReferralRecord, SaleAttributionInput } from './attribution';
import {
  attributeAttempt,
  attributeRenewal,
  emptyReferralHistory,
  evolveReferralHistory,
  referralFor,
  referralsFromClicks,
  resolveLeadPartner,
  resolveSalePartner,
} from './attribution';

const NOW = '2026-03-01T12:00:00.000Z';
const daysBefore = (days: number, base = NOW) => new Date(Date.parse(base) - days * 86_400_000).toISOString();

const roger = aPartner('roger', { leadCookieDays: 30 });
const ann = aPartner('ann', { leadCookieDays: 30 });
const forever = aPartner('forever', { leadCookieDays: null });
const sleeper = aPartner('sleeper', { status: 'inactive', leadCookieDays: null });
const partners = byId(roger, ann, forever, sleeper);

function click(
  id: string,
  partnerId: string,
  occurredAt: string,
  overrides: Partial<ClickRecord> = {},
): ClickRecord {
  return {
    clickId: id,
    partnerId,
    linkId: `link-${partnerId}`,
    visitorId: 'v1',
    ip: null,
    occurredAt,
    creditable: true,
    ...overrides,
  };
}

function referral(partnerId: string, setAt: string, overrides: Partial<ReferralRecord> = {}): ReferralRecord {
  return {
    partnerId,
    source: 'click',
    setAt,
    lastSeenAt: setAt,
    expiresAt: null,
    clickId: null,
    ...overrides,
  };
}

function sale(
  overrides: Partial<Omit<SaleAttributionInput, 'settings'>> & {
    settings?: Partial<AttributionSettings>;
  } = {},
) {
  const { settings, ...rest } = overrides;
  return resolveSalePartner({
    at: NOW,
    explicitPartnerId: null,
    visitorId: 'v1',
    ip: null,
    clicks: [],
    referrals: [],
    partners,
    ...rest,
    settings: { ...settingsWith(), ...settings },
  });
}

describe('resolveSalePartner: explicit partner', () => {
  it('credits an explicit active partner before any cookie', () => {
    const result = sale({ explicitPartnerId: 'ann', clicks: [click('c1', 'roger', daysBefore(1))] });
    expect(result).toEqual({
      partnerId: 'ann',
      explanation: { method: 'explicit', rule: 'last', trackingMethod: 'cookies-only' },
    });
  });

  it('falls through to the cookie when the explicit partner is inactive or unknown', () => {
    const clicks = [click('c1', 'roger', daysBefore(1))];
    expect(sale({ explicitPartnerId: 'sleeper', clicks })?.partnerId).toBe('roger');
    expect(sale({ explicitPartnerId: 'nobody', clicks })?.partnerId).toBe('roger');
  });
});

describe('resolveSalePartner: cookie', () => {
  const clicks = [click('c-roger', 'roger', daysBefore(10)), click('c-ann', 'ann', daysBefore(2))];

  it('credits the latest unexpired click with attribution last, with the click in the explanation', () => {
    expect(sale({ clicks })).toEqual({
      partnerId: 'ann',
      explanation: {
        method: 'cookie',
        clickId: 'c-ann',
        linkId: 'link-ann',
        clickedAt: daysBefore(2),
        rule: 'last',
        trackingMethod: 'cookies-only',
      },
    });
  });

  it('credits the earliest unexpired click with attribution first', () => {
    expect(sale({ clicks, settings: { attribution: 'first' } })?.explanation).toMatchObject({
      method: 'cookie',
      clickId: 'c-roger',
      rule: 'first',
    });
  });

  it("never credits a click older than its partner's leadCookieDays, even as first", () => {
    const withExpired = [click('c-old', 'roger', daysBefore(31)), click('c-ann', 'ann', daysBefore(2))];
    expect(sale({ clicks: withExpired, settings: { attribution: 'first' } })?.partnerId).toBe('ann');
    expect(sale({ clicks: [click('c-old', 'roger', daysBefore(30))] })).toBeNull(); // expires exactly now
    expect(sale({ clicks: [click('c-old', 'roger', daysBefore(29.9))] })?.partnerId).toBe('roger');
  });

  it('keeps clicks of a partner with leadCookieDays null forever', () => {
    expect(sale({ clicks: [click('c', 'forever', daysBefore(3650))] })?.partnerId).toBe('forever');
  });

  it('ignores clicks that are not creditable, of inactive partners, of other visitors, or after the attempt', () => {
    expect(sale({ clicks: [click('c', 'roger', daysBefore(1), { creditable: false })] })).toBeNull();
    expect(sale({ clicks: [click('c', 'sleeper', daysBefore(1))] })).toBeNull();
    expect(sale({ clicks: [click('c', 'roger', daysBefore(1), { visitorId: 'v2' })] })).toBeNull();
    expect(sale({ clicks: [click('c', 'roger', daysBefore(-1))] })).toBeNull();
    expect(sale({ visitorId: null, clicks: [click('c', 'roger', daysBefore(1))] })).toBeNull();
  });

  it('breaks equal click times by the later click for last and the earlier for first', () => {
    const tied = [click('c1', 'roger', daysBefore(1)), click('c2', 'ann', daysBefore(1))];
    expect(sale({ clicks: tied })?.partnerId).toBe('ann');
    expect(sale({ clicks: tied, settings: { attribution: 'first' } })?.partnerId).toBe('roger');
  });
});

describe('resolveSalePartner: referral history (seed 001)', () => {
  // Katie clicked Roger's 2016 event link; in 2017 she buys another product without any tracking link.
  const katieClickedIn2016 = referral('katie-roger', '2016-05-10T15:00:00.000Z', { clickId: 'click-2016' });
  const roger2016 = aPartner('katie-roger', { leadCookieDays: null });
  const seedPartners = byId(roger2016);
  const purchase2017 = {
    at: '2017-04-02T09:00:00.000Z',
    visitorId: 'v-2017',
    referrals: [katieClickedIn2016],
    partners: seedPartners,
  };

  it('does not credit the old click under cookies-only: no cookie was presented', () => {
    expect(sale({ ...purchase2017, settings: { trackingMethod: 'cookies-only' } })).toBeNull();
  });

  it('credits Roger under history-and-cookies, explaining it came from the referral history', () => {
    expect(sale({ ...purchase2017, settings: { trackingMethod: 'history-and-cookies' } })).toEqual({
      partnerId: 'katie-roger',
      explanation: {
        method: 'history',
        clickId: 'click-2016',
        referralSetAt: '2016-05-10T15:00:00.000Z',
        referralSource: 'click',
        rule: 'last',
        trackingMethod: 'history-and-cookies',
      },
    });
  });

  it('still prefers a presented cookie over history', () => {
    const result = sale({
      referrals: [referral('roger', daysBefore(5))],
      clicks: [click('c-ann', 'ann', daysBefore(1))],
      settings: { trackingMethod: 'history-and-cookies' },
    });
    expect(result?.explanation.method).toBe('cookie');
    expect(result?.partnerId).toBe('ann');
  });

  it('compares setAt for first and lastSeenAt for last', () => {
    const referrals = [
      referral('roger', daysBefore(20), { lastSeenAt: daysBefore(1) }),
      referral('ann', daysBefore(10), { lastSeenAt: daysBefore(5) }),
    ];
    const settings = { trackingMethod: 'history-and-cookies' as const };
    expect(sale({ referrals, settings: { ...settings, attribution: 'first' } })?.partnerId).toBe('roger');
    expect(sale({ referrals, settings: { ...settings, attribution: 'last' } })?.partnerId).toBe('roger');
    const annSeenLater = [referrals[0]!, referral('ann', daysBefore(10), { lastSeenAt: daysBefore(0.5) })];
    expect(sale({ referrals: annSeenLater, settings: { ...settings, attribution: 'last' } })?.partnerId).toBe(
      'ann',
    );
    expect(
      sale({ referrals: annSeenLater, settings: { ...settings, attribution: 'first' } })?.partnerId,
    ).toBe('roger');
  });

  it('never credits an expired referral or an inactive partner', () => {
    const settings = { trackingMethod: 'history-and-cookies' as const };
    expect(
      sale({ referrals: [referral('roger', daysBefore(40), { expiresAt: daysBefore(10) })], settings }),
    ).toBeNull();
    expect(sale({ referrals: [referral('sleeper', daysBefore(4))], settings })).toBeNull();
  });
});

describe('resolveSalePartner: IP address fallback', () => {
  const fromSameIp = click('c-ip', 'forever', daysBefore(10), {
    visitorId: 'other-visitor',
    ip: '203.0.113.7',
  });
  const base = { ip: '203.0.113.7', clicks: [fromSameIp] };

  it('is off unless useIpAddress', () => {
    expect(sale({ ...base, settings: { useIpAddress: false } })).toBeNull();
  });

  it('credits a click from the same IP within ipMatchDays', () => {
    expect(sale({ ...base, settings: { useIpAddress: true, ipMatchDays: 30 } })).toEqual({
      partnerId: 'forever',
      explanation: {
        method: 'ip',
        clickId: 'c-ip',
        linkId: 'link-forever',
        clickedAt: daysBefore(10),
        rule: 'last',
        trackingMethod: 'cookies-only',
      },
    });
  });

  it('ignores clicks outside the ipMatchDays window or from another IP', () => {
    expect(sale({ ...base, settings: { useIpAddress: true, ipMatchDays: 9 } })).toBeNull();
    expect(sale({ ...base, ip: '198.51.100.1', settings: { useIpAddress: true } })).toBeNull();
    expect(sale({ ...base, ip: null, settings: { useIpAddress: true } })).toBeNull();
  });

  it('ignores an IP match whose click has expired for its partner', () => {
    const expired = click('c-ip', 'roger', daysBefore(35), { visitorId: 'x', ip: '203.0.113.7' });
    expect(
      sale({ ip: '203.0.113.7', clicks: [expired], settings: { useIpAddress: true, ipMatchDays: 60 } }),
    ).toBeNull();
  });

  it('comes after the referral history', () => {
    const result = sale({
      ...base,
      referrals: [referral('ann', daysBefore(3))],
      settings: { useIpAddress: true, trackingMethod: 'history-and-cookies' },
    });
    expect(result?.explanation.method).toBe('history');
  });
});

describe('resolveLeadPartner', () => {
  it('uses the referral history whatever the tracking method', () => {
    const result = resolveLeadPartner({
      at: NOW,
      referrals: [referral('roger', daysBefore(8), { source: 'opt-in' })],
      partners,
      settings: { attribution: 'last', trackingMethod: 'cookies-only' },
    });
    expect(result).toEqual({
      partnerId: 'roger',
      explanation: {
        method: 'history',
        referralSetAt: daysBefore(8),
        referralSource: 'opt-in',
        rule: 'last',
        trackingMethod: 'cookies-only',
      },
    });
  });

  it('finds nobody without live history', () => {
    const settings = { attribution: 'first' as const, trackingMethod: 'cookies-only' as const };
    expect(resolveLeadPartner({ at: NOW, referrals: [], partners, settings })).toBeNull();
  });
});

describe('attributeAttempt and attributeRenewal', () => {
  const input = {
    attemptId: 'a1',
    at: NOW,
    explicitPartnerId: null,
    visitorId: 'v1',
    ip: null,
    clicks: [click('c-ann', 'ann', daysBefore(1))],
    referrals: [referral('roger', daysBefore(9))],
    partners,
  };

  it('resolves the lead partner only when lead commissions are paid', () => {
    expect(attributeAttempt({ ...input, settings: settingsWith() })).toMatchObject({
      salePartnerId: 'ann',
      leadPartnerId: null,
      leadAttribution: null,
      renewalOf: null,
    });
    const withLead = attributeAttempt({
      ...input,
      settings: settingsWith({ payout: { sale: true, lead: true } }),
    });
    expect(withLead).toMatchObject({ salePartnerId: 'ann', leadPartnerId: 'roger' });
    expect(withLead.leadAttribution?.method).toBe('history');
  });

  it("copies the subscription's stored partners onto a renewal", () => {
    const original = attributeAttempt({ ...input, settings: settingsWith() });
    expect(attributeRenewal('a9', 'sub-1', original)).toEqual({
      ...original,
      attemptId: 'a9',
      renewalOf: { subscriptionId: 'sub-1', attemptId: 'a1' },
    });
    expect(attributeRenewal('a9', 'sub-1', null)).toMatchObject({ salePartnerId: null, leadPartnerId: null });
  });
});

describe('referralsFromClicks', () => {
  it('makes one referral per creditable clicked partner, spanning its first to last click', () => {
    const clicks = [
      click('r1', 'roger', '2026-01-01T10:00:00.000Z'),
      click('f1', 'forever', '2026-01-03T10:00:00.000Z'),
      click('r2', 'roger', '2026-01-05T10:00:00.000Z'),
      click('a1', 'ann', '2026-01-04T10:00:00.000Z', { creditable: false }),
      click('x1', 'unknown', '2026-01-04T10:00:00.000Z'),
      click('r3', 'roger', '2026-03-05T10:00:00.000Z'), // after the join: ignored
    ];
    expect(referralsFromClicks('katie', clicks, partners, 'opt-in', '2026-01-10T00:00:00.000Z')).toEqual([
      {
        contactId: 'katie',
        partnerId: 'roger',
        source: 'opt-in',
        setAt: '2026-01-01T10:00:00.000Z',
        lastSeenAt: '2026-01-05T10:00:00.000Z',
        expiresAt: '2026-02-04T10:00:00.000Z',
        clickId: 'r1',
      },
      {
        contactId: 'katie',
        partnerId: 'forever',
        source: 'opt-in',
        setAt: '2026-01-03T10:00:00.000Z',
        lastSeenAt: '2026-01-03T10:00:00.000Z',
        expiresAt: null,
        clickId: 'f1',
      },
    ]);
  });

  it('gives a hand-made referral its own expiry or the partner cookie days', () => {
    expect(referralFor('k', roger, 'manual', NOW, null).expiresAt).toBeNull();
    expect(referralFor('k', roger, 'manual', NOW).expiresAt).toBe('2026-03-31T12:00:00.000Z');
    expect(referralFor('k', roger, 'opt-in', NOW)).toMatchObject({
      setAt: NOW,
      lastSeenAt: NOW,
      clickId: null,
    });
  });
});

describe('ContactReferralHistory', () => {
  const record = (overrides: Partial<ReferralRecordedData>): ReferralRecordedData => ({
    contactId: 'katie',
    partnerId: 'roger',
    source: 'click',
    setAt: '2026-01-05T00:00:00.000Z',
    lastSeenAt: '2026-01-05T00:00:00.000Z',
    expiresAt: '2026-02-04T00:00:00.000Z',
    clickId: 'c5',
    ...overrides,
  });

  it('merges repeated records of a partner: earliest set, latest seen, latest expiry', () => {
    const history = [
      record({}),
      record({ partnerId: 'ann', clickId: null, source: 'manual', expiresAt: null }),
      record({
        setAt: '2026-01-01T00:00:00.000Z',
        lastSeenAt: '2026-01-02T00:00:00.000Z',
        clickId: 'c1',
        source: 'opt-in',
        expiresAt: '2026-01-31T00:00:00.000Z',
      }),
      record({
        setAt: '2026-01-20T00:00:00.000Z',
        lastSeenAt: '2026-01-20T00:00:00.000Z',
        clickId: 'c20',
        expiresAt: '2026-02-19T00:00:00.000Z',
      }),
    ].reduce(evolveReferralHistory, emptyReferralHistory('katie'));
    expect(history).toEqual({
      contactId: 'katie',
      referrals: [
        {
          partnerId: 'roger',
          source: 'opt-in',
          setAt: '2026-01-01T00:00:00.000Z',
          lastSeenAt: '2026-01-20T00:00:00.000Z',
          expiresAt: '2026-02-19T00:00:00.000Z',
          clickId: 'c1',
        },
        {
          partnerId: 'ann',
          source: 'manual',
          setAt: '2026-01-05T00:00:00.000Z',
          lastSeenAt: '2026-01-05T00:00:00.000Z',
          expiresAt: null,
          clickId: null,
        },
      ],
    });
  });

  it('lets a never-expiring record win over any expiry', () => {
    const history = [record({}), record({ expiresAt: null })].reduce(
      evolveReferralHistory,
      emptyReferralHistory('katie'),
    );
    expect(history.referrals[0]?.expiresAt).toBeNull();
  });
});
