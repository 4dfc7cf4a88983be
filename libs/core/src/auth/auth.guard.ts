/** Checks the bearer key (or partner token) against the roles the route declares. */
import { type CanActivate, type ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@app/platform';
import { ApiKeyService } from './api-key.service';
import type { AuthenticatedRequest, Caller } from './caller';
import { PUBLIC_KEY, ROLES_KEY, type Role } from './roles.decorator';

/** Verifies partner tokens; provided by the Partner Center module when it is present. */
export abstract class PartnerTokenVerifier {
  abstract verify(token: string): Promise<Caller | null>;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    @Optional() private readonly partnerTokens?: PartnerTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // A route that forgot to declare its roles is closed to everyone but admins. Partner routes are
    // about "me": only a signed-in partner has one, so not even an admin key may call them.
    const allowed = roles?.includes('partner')
      ? new Set<Role>(['partner'])
      : new Set<Role>(['admin', ...(roles ?? [])]);

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new ProblemError(401, 'Send an API key: Authorization: Bearer <key>', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    const token = match[1];
    const caller = (await this.partnerTokens?.verify(token)) ?? (await this.keys.authenticate(token));
    if (!caller)
      throw new ProblemError(401, 'The key or token is not valid', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    if (!allowed.has(caller.role)) {
      throw new ProblemError(403, `The ${caller.role} role may not call this endpoint`);
    }
    request.caller = caller;
    return true;
  }
}
