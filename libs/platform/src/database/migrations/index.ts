import { EventStore1700000000000 } from './1700000000000-event-store';

/** Every migration, oldest first. A new one is added here and never edited once released. */
export const MIGRATIONS = [EventStore1700000000000];
