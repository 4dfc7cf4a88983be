import { Module } from '@nestjs/common';
import { RecordReferralController } from './record-referral/record-referral.controller';
import { RedirectController } from './redirect/redirect.controller';
import { ReferralHistoryController } from './referral-history/referral-history.controller';
import { TrackingQueries } from './tracking.queries';

@Module({
  controllers: [RedirectController, RecordReferralController, ReferralHistoryController],
  providers: [TrackingQueries],
  exports: [TrackingQueries],
})
export class TrackingModule {}
