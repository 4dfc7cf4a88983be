import { Module } from '@nestjs/common';
import { RecordReferralController } from './record-referral/record-referral.controller';
import { RecordReferralHandler } from './record-referral/record-referral.handler';
import { ReferralHistoryController } from './referral-history/referral-history.controller';
import { ReferralHistoryHandler } from './referral-history/referral-history.handler';

/** Referrals recorded by hand and read back; the redirect and the traffic slices are elsewhere (their modules). */
@Module({
  controllers: [RecordReferralController, ReferralHistoryController],
  providers: [RecordReferralHandler, ReferralHistoryHandler],
})
export class TrackingModule {}
