export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE_URL = Symbol('DATABASE_URL');
