/**
 * Every route declares who may call it: @Public() or @Roles(...). The guard refuses undeclared routes.
 * The same declaration gives the route its security and roles in the OpenAPI document.
 */
import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export type Role = 'admin' | 'ingest' | 'auditor' | 'partner';
export const ROLES_KEY = 'referral-ledger:roles';
export const PUBLIC_KEY = 'referral-ledger:public';

/** `admin` may call everything; list the other roles that may call this route too. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiExtension('x-roles', roles.includes('partner') ? ['partner'] : ['admin', ...roles]),
  );
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));
