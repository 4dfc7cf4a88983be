/** Who "me" is on the Partner Center routes, and the rule that a partner only ever names itself. */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ProblemError } from '@app/platform';
import type { AuthenticatedRequest, Caller } from '../auth/caller';
import { IsResourceId } from '../configuration/configuration.validation';

/** Every /v1/me route accepts `partnerId`, as long as it names the signed-in partner (else 403). */
export class MeRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @IsResourceId()
  partnerId?: string;
}

/** The partner behind the token; anyone else (an admin key included) has no "me". */
export function me(caller: Caller | undefined): string {
  if (caller?.role !== 'partner' || !caller.partnerId) {
    throw new ProblemError(403, 'Only a signed-in partner has a Partner Center');
  }
  return caller.partnerId;
}

/**
 * A `partnerId` naming someone else, in the query or the body of any /v1/me route, is 403: refused
 * rather than silently replaced. Runs before validation, so the answer is the same on every route.
 */
@Injectable()
export class OnlyMyPartnerId implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const partnerId = me(request.caller);
    const body: unknown = request.body;
    const named = [
      (request.query as Record<string, unknown>)['partnerId'],
      body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['partnerId'] : undefined,
    ].flat();
    if (named.some((value) => value !== undefined && value !== partnerId)) {
      throw new ProblemError(403, 'A partner may only see its own data');
    }
    return true;
  }
}

/** A partner filter naming someone else is refused rather than silently replaced. */
export function onlyMine<T extends { partnerId?: string | undefined }>(request: T, partnerId: string): T {
  if (request.partnerId !== undefined && request.partnerId !== partnerId) {
    throw new ProblemError(403, 'A partner may only see its own data');
  }
  return Object.assign(request, { partnerId });
}
