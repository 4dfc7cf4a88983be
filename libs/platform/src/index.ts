export * from './config/app-config';
export * from './database/database';
export * from './database/embedded-postgres';
export * from './database/migrate';
