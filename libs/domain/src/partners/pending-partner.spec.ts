import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type { AttributionExplanation, CommissionEarnedData, PurchaseItem } from '../events/domain-events';
import { resolveLeadPartner, resolveSalePartner, type ClickRecord } from '../attribution/attribution';
import { decideCommissions, type DecideCommissionsInput } from '../commissions/commission-calculator';
import { aPartner, aProgram, aRule, byId, settingsWith } from '../testing/fixtures';
import type { Partner } from './partner';
import { isActive, isPending, PARTNER_STATUSES } from './partner';
import { decideApproval, decideSignUp, evolvePartner, type SignUpInput } from './signup';

const NOW = '2026-03-01T12:00:00.000Z';
const DAY_BEFORE = '2026-02-28T12:00:00.000Z';

const recruiter = aPartner('amy');
const newcomer = aPartner('newbie', { status: 'pending', parentId: 'amy' });

function click(partnerId: string): ClickRecord {
  return {
    clickId: `c-${partnerId}`,
    partnerId,
    linkId: 'spring',
    visitorId: 'v1',
    ip: '203.0.113.7',
    occurredAt: DAY_BEFORE,
    creditable: true,
  };
}

describe('a pending partner', () => {
  it('is a status of its own, neither active nor inactive', () => {
    expect(PARTNER_STATUSES).toContain('pending');
    expect(isActive(newcomer)).toBe(false);
    expect(isPending(newcomer)).toBe(true);
    expect(isPending(recruiter)).toBe(false);
  });

  it('is not credited by its clicks (cookie or IP), as an explicit partner, or by referral history', () => {
    const partners = byId(recruiter, newcomer);
    const base = {
      at: NOW,
      visitorId: 'v1',
      ip: '203.0.113.7',
      referrals: [],
      partners,
      settings: settingsWith({ useIpAddress: true, trackingMethod: 'history-and-cookies' }),
    };
    expect(resolveSalePartner({ ...base, explicitPartnerId: null, clicks: [click('newbie')] })).toBeNull();
    expect(
      resolveSalePartner({ ...base, visitorId: null, explicitPartnerId: null, clicks: [click('newbie')] }),
    ).toBeNull();
    // A pending explicit partner falls through to the cookie of an active one.
    expect(
      resolveSalePartner({ ...base, explicitPartnerId: 'newbie', clicks: [click('amy')] })?.partnerId,
    ).toBe('amy');
    const referral = {
      partnerId: 'newbie',
      source: 'click' as const,
      setAt: DAY_BEFORE,
      lastSeenAt: DAY_BEFORE,
      expiresAt: null,
      clickId: null,
    };
    expect(
      resolveLeadPartner({ at: NOW, referrals: [referral], partners, settings: base.settings }),
    ).toBeNull();
  });

  it('is credited once approved', () => {
    const approved = evolvePartner(newcomer, decideApproval(newcomer)[0]!)!;
    const result = resolveSalePartner({
      at: NOW,
      explicitPartnerId: null,
      visitorId: 'v1',
      ip: null,
      clicks: [click('newbie')],
      referrals: [],
      partners: byId(recruiter, approved),
      settings: settingsWith(),
    });
    expect(result?.partnerId).toBe('newbie');
  });

  describe('in the commission chain', () => {
    const cookie: AttributionExplanation = {
      method: 'cookie',
      clickId: 'c-1',
      linkId: 'spring',
      clickedAt: DAY_BEFORE,
      rule: 'last',
      trackingMethod: 'cookies-only',
    };
    const items: PurchaseItem[] = [{ productId: 'premium', quantity: 1, unitPriceMinor: 9700 }];
    const program = aProgram('standard', { default: aRule({ sale: [{ percent: '10' }, { percent: '3' }] }) });
    const decide = (partners: Partner[], salePartnerId: string, payIfUnused = false) =>
      decideCommissions({
        attempt: {
          attemptId: 'a-1',
          kind: 'order',
          email: 'buyer@example.com',
          currency: 'USD',
          items,
          salePartnerId,
          leadPartnerId: null,
          saleAttribution: cookie,
          leadAttribution: null,
        },
        partners: byId(...partners),
        programsById: byId(program),
        settings: settingsWith({ payIfUnused }),
        collectedRenewalsBefore: 0,
      } satisfies DecideCommissionsInput).map(
        (c: CommissionEarnedData) =>
          `${c.partnerId} L${c.level}${c.unused ? ' unused' : ''} ${c.amountMinor}`,
      );

    it('earns nothing as the level-1 partner, while its active parent still earns its level', () => {
      expect(decide([recruiter, newcomer], 'newbie', true)).toEqual(['amy L2 291']);
    });

    it('earns nothing as a parent: its level is skipped, or paid as unused with payIfUnused', () => {
      const child = aPartner('kid', { parentId: 'newbie' });
      expect(decide([recruiter, newcomer, child], 'kid')).toEqual(['kid L1 970']);
      expect(decide([recruiter, newcomer, child], 'kid', true)).toEqual(['kid L1 970', 'kid L2 unused 291']);
    });
  });
});

describe('decideSignUp', () => {
  const input = (overrides: Partial<SignUpInput> = {}): SignUpInput => ({
    request: {
      partnerId: 'p-new',
      code: 'Newbie',
      name: 'New Bie',
      email: 'newbie@example.com',
      recruitedBy: 'AMY',
    },
    signup: { enabled: true, autoApprove: false, programIds: ['standard'] },
    recruiter: { id: 'amy', status: 'active' },
    ...overrides,
  });

  it('records a pending partner in the sign-up programs, child of the recruiter', () => {
    expect(decideSignUp(input())).toEqual([
      {
        type: 'PartnerSignedUp',
        data: {
          recruitedBy: 'AMY',
          partner: {
            id: 'p-new',
            code: 'Newbie',
            name: 'New Bie',
            email: 'newbie@example.com',
            parentId: 'amy',
            programIds: ['standard'],
            status: 'pending',
            leadCookieDays: null,
            notifyOnLead: false,
            notifyOnSale: false,
          },
        },
      },
    ]);
  });

  it('approves at once with autoApprove', () => {
    const events = decideSignUp(
      input({ signup: { enabled: true, autoApprove: true, programIds: ['standard'] } }),
    );
    expect(events.map((e) => e.type)).toEqual(['PartnerSignedUp', 'PartnerApproved']);
    expect(events[1]!.data).toEqual({ partnerId: 'p-new' });
    const partner = events.reduce(evolvePartner, undefined);
    expect(partner && isActive(partner)).toBe(true);
  });

  it('has no parent without a recruiting code', () => {
    const [event] = decideSignUp(
      input({ request: { ...input().request, recruitedBy: null }, recruiter: null }),
    );
    expect(event?.type === 'PartnerSignedUp' && event.data.partner.parentId).toBeNull();
  });

  it('is refused while sign-up is closed', () => {
    expect(() =>
      decideSignUp(input({ signup: { enabled: false, autoApprove: true, programIds: ['x'] } })),
    ).toThrow(expect.objectContaining({ code: 'signup-closed' }));
  });

  it('refuses a recruiting code of no partner, or of a partner that is not active', () => {
    for (const recruiterState of [
      null,
      { id: 'amy', status: 'pending' as const },
      { id: 'amy', status: 'inactive' as const },
    ]) {
      expect(() => decideSignUp(input({ recruiter: recruiterState }))).toThrow(
        expect.objectContaining({ code: 'unknown-partner', path: 'recruitedBy' }),
      );
    }
  });
});

describe('decideApproval', () => {
  it('activates a pending partner with PartnerApproved', () => {
    expect(decideApproval(newcomer)).toEqual([{ type: 'PartnerApproved', data: { partnerId: 'newbie' } }]);
  });

  it('does nothing for an active partner (a retried approval)', () => {
    expect(decideApproval(recruiter)).toEqual([]);
  });

  it('refuses an inactive partner', () => {
    expect(() => decideApproval(aPartner('off', { status: 'inactive' }))).toThrow(DomainRuleViolation);
  });
});
