// Decides the commissions of a collected attempt (domain.md sections 5 and 7); run once per collection.
import type {
  AttemptAttributedData,
  AttributionExplanation,
  CommissionEarnedData,
  CommissionLevel,
  CommissionRole,
  PurchaseAttemptedData,
} from '../events/domain-events';
import { COMMISSION_ROLES } from '../events/domain-events';
import { assertCurrency, lineCommissionMinor, toMinor } from '../money/money';
import type { Partner } from '../partners/partner';
import { isActive, sameEmail } from '../partners/partner';
import type { Program } from '../programs/program';
import { chooseRule, ratesFor } from '../programs/program';
import type { Settings } from '../settings/settings';
import { settingsApplied } from '../settings/settings';

export type CommissionPartner = Pick<Partner, 'id' | 'email' | 'status' | 'parentId' | 'programIds'>;

export type CommissionAttempt = Pick<
  PurchaseAttemptedData,
  'attemptId' | 'kind' | 'email' | 'currency' | 'items'
> &
  Pick<AttemptAttributedData, 'salePartnerId' | 'leadPartnerId' | 'saleAttribution' | 'leadAttribution'>;

export type DecideCommissionsInput = {
  attempt: CommissionAttempt;
  /** Partners as they are when the payment is collected (status and parents at that moment count). */
  partners: ReadonlyMap<string, CommissionPartner>;
  programsById: ReadonlyMap<string, Program>;
  /** The settings in force at the collection. */
  settings: Settings;
  /** Renewals only: collected renewals of the same subscription before this one. */
  collectedRenewalsBefore: number;
};

/** Deterministic, so processing the same collection twice yields the same ids. */
export function commissionId(
  attemptId: string,
  role: CommissionRole,
  level: CommissionLevel,
  lineIndex: number,
  unused: boolean,
): string {
  return `${attemptId}:${role}:L${level}:${lineIndex}${unused ? ':unused' : ''}`;
}

/**
 * For each paid role and each level 1..settings.levels, every present, active partner of the chain
 * (partner, parent, grandparent) earns the rate of that level on each item line, under the rule chosen
 * from the level-1 partner's programs. Rules of self-referral and payIfUnused:
 * - blockSelfReferrals: a partner whose email is the buyer's earns nothing on this attempt, and its
 *   share is not redistributed (neither to others in the chain nor as an unused commission).
 * - payIfUnused: the amount of a level whose partner is missing or inactive goes to the active level-1
 *   partner as an extra commission marked unused (with the level it stands for).
 * Zero amounts produce nothing; a product with no applicable rule earns nothing.
 */
export function decideCommissions(input: DecideCommissionsInput): CommissionEarnedData[] {
  const { attempt, settings } = input;
  assertCurrency(settings.currency, attempt.currency);
  const renewalNumber = attempt.kind === 'renewal' ? input.collectedRenewalsBefore + 1 : null;
  const applied = settingsApplied(settings);
  const commissions: CommissionEarnedData[] = [];

  for (const role of COMMISSION_ROLES) {
    if (!settings.payout[role]) continue;
    const credited = creditedPartner(attempt, role);
    if (!credited) continue;
    const chain = partnerChain(credited.partnerId, input.partners, settings.levels);
    const levelOne = chain[0];
    if (!levelOne) continue; // unknown partner: no programs to price with
    const isBlocked = (partner: CommissionPartner) =>
      settings.blockSelfReferrals && sameEmail(partner.email, attempt.email);

    attempt.items.forEach((item, lineIndex) => {
      const choice = chooseRule(levelOne.programIds, input.programsById, item.productId);
      if (!choice) return;
      const { rule } = choice;
      if (renewalNumber !== null && rule.maxRenewals != null && renewalNumber > rule.maxRenewals) return;
      const rates = ratesFor(rule, role, renewalNumber !== null);

      for (let index = 0; index < settings.levels; index++) {
        const level = (index + 1) as CommissionLevel;
        const rate = rates[index];
        if (!rate) continue;
        const amountMinor = lineCommissionMinor(rate, item.unitPriceMinor, item.quantity);
        if (amountMinor === 0) continue;

        const partner = chain[index];
        const present = partner !== undefined && isActive(partner);
        let earner: CommissionPartner;
        let unused: boolean;
        if (present) {
          earner = partner;
          unused = false;
        } else if (settings.payIfUnused && level > 1 && isActive(levelOne)) {
          earner = levelOne;
          unused = true;
        } else {
          continue;
        }
        if (isBlocked(earner)) continue;

        commissions.push({
          commissionId: commissionId(attempt.attemptId, role, level, lineIndex, unused),
          attemptId: attempt.attemptId,
          partnerId: earner.id,
          productId: item.productId,
          role,
          level,
          unused,
          amountMinor,
          currency: attempt.currency,
          programId: choice.program.id,
          rule: choice.ruleKind,
          rate: { flatMinor: rate.flat ?? null, percent: rate.percent ?? null },
          baseMinor: toMinor(BigInt(item.unitPriceMinor) * BigInt(item.quantity)),
          quantity: item.quantity,
          lineIndex,
          attribution: credited.explanation,
          settingsApplied: applied,
          renewalNumber,
        });
      }
    });
  }
  return commissions;
}

function creditedPartner(
  attempt: CommissionAttempt,
  role: CommissionRole,
): { partnerId: string; explanation: AttributionExplanation } | null {
  const partnerId = role === 'sale' ? attempt.salePartnerId : attempt.leadPartnerId;
  const explanation = role === 'sale' ? attempt.saleAttribution : attempt.leadAttribution;
  // Both are written together by attribution; a partner without an explanation is never paid.
  return partnerId !== null && explanation !== null ? { partnerId, explanation } : null;
}

/** [level 1, level 2, level 3] up to `levels`; a missing link (no parent, unknown, cycle) is undefined. */
function partnerChain(
  partnerId: string,
  partners: ReadonlyMap<string, CommissionPartner>,
  levels: number,
): (CommissionPartner | undefined)[] {
  const chain: (CommissionPartner | undefined)[] = [];
  const seen = new Set<string>();
  let next: string | null = partnerId;
  for (let level = 1; level <= levels; level++) {
    const partner: CommissionPartner | undefined =
      next === null || seen.has(next) ? undefined : partners.get(next);
    chain.push(partner);
    if (partner) seen.add(partner.id);
    next = partner?.parentId ?? null;
  }
  return chain;
}
