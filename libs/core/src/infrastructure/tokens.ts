export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE_URL = Symbol('DATABASE_URL');
/** Whether this process sends the outboxes (emails, webhooks): the API does, a CLI does not. */
export const RUN_DISPATCHERS = Symbol('RUN_DISPATCHERS');
