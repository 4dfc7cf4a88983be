import { Command } from '@nestjs/cqrs';

export interface PartnerToken {
  token: string;
  expiresAt: string;
}

/** Partner Center sign-in: code + password, answered with a signed token that expires. */
export class SignInCommand extends Command<PartnerToken> {
  constructor(
    readonly code: string,
    readonly password: string,
    /** The client's address: failed sign-ins are limited per address too. */
    readonly ip: string,
  ) {
    super();
  }
}
