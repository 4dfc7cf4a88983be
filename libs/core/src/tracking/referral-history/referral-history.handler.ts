import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import { REFERRAL_COLUMNS, type ReferralRow, referralFromRow } from '../../write-model/referral-rows';
import { ReferralHistoryQuery } from './referral-history.query';
import type { ContactClickResponse, ReferralHistoryResponse } from './referral-history.responses';

interface ContactClickRow {
  click_id: string;
  occurred_at: Date;
  partner_id: string;
  partner_code: string | null;
  link_id: string;
  link_code: string | null;
  ad_id: string | null;
  ip: string | null;
  creditable: boolean;
}

@QueryHandler(ReferralHistoryQuery)
export class ReferralHistoryHandler implements IQueryHandler<ReferralHistoryQuery> {
  constructor(private readonly database: Database) {}

  async execute({ contactId }: ReferralHistoryQuery): Promise<ReferralHistoryResponse> {
    const clicks = await this.database.query<ContactClickRow>(
      `SELECT c.click_id, c.occurred_at, c.partner_id, p.code AS partner_code, c.link_id, l.code AS link_code, c.ad_id, c.ip, c.creditable
         FROM clicks c LEFT JOIN partners p ON p.partner_id = c.partner_id LEFT JOIN links l ON l.link_id = c.link_id
        WHERE c.contact_id = $1 ORDER BY c.occurred_at, c.click_id`,
      [contactId],
    );
    const referrals = await this.database.query<ReferralRow>(
      `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE contact_id = $1 ORDER BY set_at, referral_id`,
      [contactId],
    );
    return {
      contactId,
      clicks: clicks.rows.map(contactClick),
      // The contact is the one asked about: each referral without its contact id.
      referrals: referrals.rows.map((row) => {
        const { contactId: _contactId, ...referral } = referralFromRow(row);
        return referral;
      }),
    };
  }
}

function contactClick(row: ContactClickRow): ContactClickResponse {
  return {
    clickId: row.click_id,
    occurredAt: row.occurred_at.toISOString(),
    partnerId: row.partner_id,
    partnerCode: row.partner_code,
    linkId: row.link_id,
    linkCode: row.link_code,
    adId: row.ad_id,
    ip: row.ip,
    creditable: row.creditable,
  };
}
