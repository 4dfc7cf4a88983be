/** Reads of the configuration, served from the write model (it is current as soon as a write answers). */
import { Query } from '@nestjs/cqrs';
import type { Program, Settings } from '@app/domain';
import type { LinkRecord } from '../../write-model/write-model.queries';
import type { AdView, PartnerLinkView, PartnerView } from '../configuration.views';

export class GetSettingsQuery extends Query<Settings> {}

export class ListProgramsQuery extends Query<Program[]> {}

export class GetProgramQuery extends Query<Program> {
  constructor(readonly programId: string) {
    super();
  }
}

export class ListPartnersQuery extends Query<PartnerView[]> {}

export class GetPartnerQuery extends Query<PartnerView> {
  constructor(readonly partnerId: string) {
    super();
  }
}

export class ListLinksQuery extends Query<LinkRecord[]> {}

/** A partner's ads, each with its tracking URL. */
export class ListPartnerAdsQuery extends Query<AdView[]> {
  constructor(readonly partnerId: string) {
    super();
  }
}

/** Every link with this partner's tracking URL, and the partner's ads on it. */
export class ListPartnerLinksQuery extends Query<PartnerLinkView[]> {
  constructor(readonly partnerId: string) {
    super();
  }
}
