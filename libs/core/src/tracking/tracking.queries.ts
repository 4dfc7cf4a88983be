/**
 * What the redirect reads of the write model besides partners and links (ingest decides on the
 * in-memory DecisionState instead).
 */
import { Injectable } from '@nestjs/common';
import { Database, type Queryable } from '@app/platform';

@Injectable()
export class TrackingQueries {
  constructor(private readonly database: Database) {}

  private q(tx?: Queryable): Queryable {
    return tx ?? this.database;
  }

  async contactOfVisitor(visitorId: string, tx?: Queryable): Promise<string | null> {
    const { rows } = await this.q(tx).query<{ contact_id: string }>(
      'SELECT contact_id FROM visitor_contacts WHERE visitor_id = $1',
      [visitorId],
    );
    return rows[0]?.contact_id ?? null;
  }
}
