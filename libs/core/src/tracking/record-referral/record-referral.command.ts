import { Command } from '@nestjs/cqrs';
import type { Caller } from '../../auth/caller';
import type { RecordReferralRequest } from './record-referral.request';
import type { RecordedReferralResponse } from './record-referral.responses';

/** A referral recorded by hand (phone or email referrals): the contact is the partner's from now on. */
export class RecordReferralCommand extends Command<RecordedReferralResponse> {
  constructor(
    readonly contactId: string,
    readonly request: RecordReferralRequest,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
