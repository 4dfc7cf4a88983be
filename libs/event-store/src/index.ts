export * from './event-store.port';
export * from './event-store.errors';
export * from './position';
export * from './content-hash';
export * from './postgres/postgres-event-store';
export * from './postgres/event-rows';
