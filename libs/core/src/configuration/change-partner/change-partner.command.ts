import { Command } from '@nestjs/cqrs';
import type { PartnerChanges } from '@app/domain';
import type { Caller } from '../../auth/caller';
import type { PartnerWritten } from '../enroll-partner/enroll-partner.command';

/** Changes a partner; only the fields whose value differs end up in the PartnerChanged event. */
export class ChangePartnerCommand extends Command<PartnerWritten> {
  constructor(
    readonly partnerId: string,
    /** The fields the client sent (null clears email and parentId, and makes leadCookieDays forever). */
    readonly requested: PartnerChanges,
    readonly password: string | undefined,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
