/** A contact's click history and referral records: who referred this contact, when, and through what. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Database } from '@app/platform';
import { Roles } from '../../auth/roles.decorator';
import { REFERRAL_COLUMNS, type ReferralRow, referralFromRow } from '../../write-model/referral-rows';
import { ReferralHistoryResponse } from './referral-history.responses';

@ApiTags('Referrals')
@ApiBearerAuth()
@Controller('v1/contacts')
export class ReferralHistoryController {
  constructor(private readonly database: Database) {}

  @ApiOperation({
    summary: "Read a contact's clicks and referral records",
    description: 'Who referred this contact, through what, and when.',
  })
  @ApiOkResponse({ type: ReferralHistoryResponse, description: 'Empty lists for an unknown contact' })
  @Roles('auditor')
  @Get(':contactId/referral-history')
  async history(@Param('contactId') contactId: string): Promise<ReferralHistoryResponse> {
    const clicks = await this.database.query<{
      click_id: string;
      occurred_at: Date;
      partner_id: string;
      partner_code: string | null;
      link_id: string;
      link_code: string | null;
      ad_id: string | null;
      ip: string | null;
      creditable: boolean;
    }>(
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
      clicks: clicks.rows.map((c) => ({
        clickId: c.click_id,
        occurredAt: c.occurred_at.toISOString(),
        partnerId: c.partner_id,
        partnerCode: c.partner_code,
        linkId: c.link_id,
        linkCode: c.link_code,
        adId: c.ad_id,
        ip: c.ip,
        creditable: c.creditable,
      })),
      // The contact is the one asked about: each referral without its contact id.
      referrals: referrals.rows.map((row) => {
        const { contactId: _contactId, ...referral } = referralFromRow(row);
        return referral;
      }),
    };
  }
}
