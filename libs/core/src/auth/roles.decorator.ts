/** Every route declares who may call it: @Public() or @Roles(...). The guard refuses undeclared routes. */
import { SetMetadata } from '@nestjs/common';

export type Role = 'admin' | 'ingest' | 'auditor' | 'partner';
export const ROLES_KEY = 'referral-ledger:roles';
export const PUBLIC_KEY = 'referral-ledger:public';

/** `admin` may call everything; list the other roles that may call this route too. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
