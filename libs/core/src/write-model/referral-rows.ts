/** The referrals table read back: its columns and the one mapping of a row to the referral it records. */
import type { ReferralRecordedData, ReferralSource } from '@app/domain';

export interface ReferralRow {
  referral_id: string;
  contact_id: string;
  partner_id: string;
  source: ReferralSource;
  set_at: Date;
  last_seen_at: Date;
  expires_at: Date | null;
  click_id: string | null;
}

export const REFERRAL_COLUMNS =
  'referral_id, contact_id, partner_id, source, set_at, last_seen_at, expires_at, click_id';

export function referralFromRow(row: ReferralRow): ReferralRecordedData {
  return {
    contactId: row.contact_id,
    partnerId: row.partner_id,
    source: row.source,
    setAt: row.set_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    clickId: row.click_id,
  };
}
