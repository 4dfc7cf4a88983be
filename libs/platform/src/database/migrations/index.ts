import { EventStore1700000000000 } from './1700000000000-event-store';
import { ApiKeys1700000000100 } from './1700000000100-api-keys';
import { WriteModel1700000000200 } from './1700000000200-write-model';
import { AuditChain1700000000400 } from './1700000000400-audit-chain';

/** Every migration, oldest first. A new one is added here and never edited once released. */
export const MIGRATIONS = [EventStore1700000000000, ApiKeys1700000000100, WriteModel1700000000200, AuditChain1700000000400];
