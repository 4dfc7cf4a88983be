import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from './roles.decorator';

/** Who is calling, as the guard established it; recorded as the actor of the events it causes. */
export interface Caller {
  readonly role: Role;
  /** API key name, or the partner's id. */
  readonly name: string;
  readonly partnerId?: string;
}

export interface AuthenticatedRequest extends Request {
  caller?: Caller;
}

export function actorOf(caller: Caller | undefined): string {
  if (!caller) return 'anonymous';
  return caller.role === 'partner' ? `partner:${caller.partnerId ?? caller.name}` : `key:${caller.name}`;
}

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().caller,
);
