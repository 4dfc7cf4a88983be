import { Module } from '@nestjs/common';
import { RecordReferralController } from './record-referral/record-referral.controller';
import { ReferralHistoryController } from './referral-history/referral-history.controller';
import { TrackingQueries } from './tracking.queries';

@Module({
  controllers: [RecordReferralController, ReferralHistoryController],
  providers: [TrackingQueries],
  exports: [TrackingQueries],
})
export class TrackingModule {}
