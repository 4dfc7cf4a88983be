import { Query } from '@nestjs/cqrs';
import type { PartnerView } from '../../configuration/configuration.views';

export type MyProfile = PartnerView & { recruitingUrl: string; currency: string; timezone: string };

/** The partner, with its recruiting link and the settings the Partner Center shows amounts in. */
export class MyProfileQuery extends Query<MyProfile> {
  constructor(readonly partnerId: string) {
    super();
  }
}
