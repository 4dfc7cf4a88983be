import { EventStore1700000000000 } from './1700000000000-event-store';
import { ApiKeys1700000000100 } from './1700000000100-api-keys';

/** Every migration, oldest first. A new one is added here and never edited once released. */
export const MIGRATIONS = [EventStore1700000000000, ApiKeys1700000000100];
