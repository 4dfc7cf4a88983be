export * from './config/app-config';
export * from './database/database';
export * from './database/embedded-postgres';
export * from './database/migrate';
export * from './http/problem';
export * from './http/problem.filter';
export * from './http/validation';
export * from './http/json-body';
