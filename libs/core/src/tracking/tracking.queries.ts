/** Clicks and referral history as the attribution rules need them, read from the write model. */
import { Injectable } from '@nestjs/common';
import {
  type ClickRecord,
  type ContactReferralHistory,
  type ReferralRecord,
  emptyReferralHistory,
  evolveReferralHistory,
} from '@app/domain';
import { Database, type Queryable } from '@app/platform';

interface ClickRow {
  click_id: string;
  partner_id: string;
  link_id: string;
  visitor_id: string;
  ip: string | null;
  occurred_at: Date;
  creditable: boolean;
}

const toClick = (r: ClickRow): ClickRecord => ({
  clickId: r.click_id,
  partnerId: r.partner_id,
  linkId: r.link_id,
  visitorId: r.visitor_id,
  ip: r.ip,
  occurredAt: r.occurred_at.toISOString(),
  creditable: r.creditable,
});

const CLICK_COLUMNS = 'click_id, partner_id, link_id, visitor_id, ip, occurred_at, creditable';

@Injectable()
export class TrackingQueries {
  constructor(private readonly database: Database) {}

  private q(tx?: Queryable): Queryable {
    return tx ?? this.database;
  }

  async visitorClicks(visitorId: string, tx?: Queryable): Promise<ClickRecord[]> {
    const { rows } = await this.q(tx).query<ClickRow>(
      `SELECT ${CLICK_COLUMNS} FROM clicks WHERE visitor_id = $1 ORDER BY occurred_at, click_id`,
      [visitorId],
    );
    return rows.map(toClick);
  }

  /** Clicks of a visitor not yet joined to any contact. */
  async unjoinedVisitorClicks(visitorId: string, tx?: Queryable): Promise<ClickRecord[]> {
    const { rows } = await this.q(tx).query<ClickRow>(
      `SELECT ${CLICK_COLUMNS} FROM clicks WHERE visitor_id = $1 AND contact_id IS NULL ORDER BY occurred_at, click_id`,
      [visitorId],
    );
    return rows.map(toClick);
  }

  async ipClicks(
    ip: string,
    fromInclusive: string,
    toInclusive: string,
    tx?: Queryable,
  ): Promise<ClickRecord[]> {
    const { rows } = await this.q(tx).query<ClickRow>(
      `SELECT ${CLICK_COLUMNS} FROM clicks WHERE ip = $1 AND occurred_at BETWEEN $2 AND $3 ORDER BY occurred_at, click_id`,
      [ip, fromInclusive, toInclusive],
    );
    return rows.map(toClick);
  }

  async contactOfVisitor(visitorId: string, tx?: Queryable): Promise<string | null> {
    const { rows } = await this.q(tx).query<{ contact_id: string }>(
      'SELECT contact_id FROM visitor_contacts WHERE visitor_id = $1',
      [visitorId],
    );
    return rows[0]?.contact_id ?? null;
  }

  /** visitor id -> contact id, for the visitors already joined to a contact. */
  async contactsOfVisitors(visitorIds: readonly string[], tx?: Queryable): Promise<Map<string, string>> {
    if (visitorIds.length === 0) return new Map();
    const { rows } = await this.q(tx).query<{ visitor_id: string; contact_id: string }>(
      'SELECT visitor_id, contact_id FROM visitor_contacts WHERE visitor_id = ANY($1)',
      [visitorIds],
    );
    return new Map(rows.map((r) => [r.visitor_id, r.contact_id]));
  }

  /** The contact's referral history, one merged record per partner (see evolveReferralHistory). */
  async referralHistory(contactId: string, tx?: Queryable): Promise<ContactReferralHistory> {
    const { rows } = await this.q(tx).query<{
      partner_id: string;
      source: ReferralRecord['source'];
      set_at: Date;
      last_seen_at: Date;
      expires_at: Date | null;
      click_id: string | null;
    }>(
      `SELECT partner_id, source, set_at, last_seen_at, expires_at, click_id FROM referrals
        WHERE contact_id = $1 ORDER BY set_at, referral_id`,
      [contactId],
    );
    return rows.reduce(
      (history, r) =>
        evolveReferralHistory(history, {
          contactId,
          partnerId: r.partner_id,
          source: r.source,
          setAt: r.set_at.toISOString(),
          lastSeenAt: r.last_seen_at.toISOString(),
          expiresAt: r.expires_at?.toISOString() ?? null,
          clickId: r.click_id,
        }),
      emptyReferralHistory(contactId),
    );
  }
}
