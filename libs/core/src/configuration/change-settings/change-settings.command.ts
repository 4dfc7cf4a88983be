import { Command } from '@nestjs/cqrs';
import type { Settings } from '@app/domain';
import type { Caller } from '../../auth/caller';

export interface SettingsWritten {
  readonly settings: Settings;
  readonly position: string;
}

/** Changes any subset of the referral partner defaults (domain.md section 3). */
export class ChangeSettingsCommand extends Command<SettingsWritten> {
  constructor(
    /** Only the fields the client sent; nested `payout` and `payoutSchedule` may be partial. */
    readonly patch: Readonly<Record<string, unknown>>,
    readonly caller: Caller | undefined,
  ) {
    super();
  }
}
