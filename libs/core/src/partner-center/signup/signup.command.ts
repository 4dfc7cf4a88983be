import { Command } from '@nestjs/cqrs';
import type { PartnerStatus } from '@app/domain';
import type { SignupRequest } from './signup.request';

export interface SignedUp {
  partnerId: string;
  code: string;
  status: PartnerStatus;
  parentId: string | null;
  position: string;
}

/** A new partner from the public form: pending until approved, active with auto-approval. */
export class SignUpCommand extends Command<SignedUp> {
  constructor(readonly request: SignupRequest) {
    super();
  }
}
