import { Module } from '@nestjs/common';
import { ClickBatch } from './link-clicked/click-batch';
import { ContactOptedInHandler } from './contact-opted-in/contact-opted-in.handler';
import { LinkClickedHandler } from './link-clicked/link-clicked.handler';
import { RecordReferralController } from './record-referral/record-referral.controller';
import { ReferralHistoryController } from './referral-history/referral-history.controller';
import { TrackingQueries } from './tracking.queries';

@Module({
  controllers: [RecordReferralController, ReferralHistoryController],
  providers: [TrackingQueries, LinkClickedHandler, ContactOptedInHandler, ClickBatch],
  exports: [TrackingQueries, LinkClickedHandler, ContactOptedInHandler, ClickBatch],
})
export class TrackingModule {}
