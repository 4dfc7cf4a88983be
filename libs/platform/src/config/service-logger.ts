/**
 * Nest's console logger with the framework's start-up chatter (a line per module and per route) moved
 * to the debug level: at LOG_LEVEL=info a start prints what an operator needs, LOG_LEVEL=debug shows all.
 */
import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const CHATTY_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

export type ServiceLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** LOG_LEVEL and what it lets through. */
export const LOG_LEVELS: Record<ServiceLogLevel, LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error'],
  info: ['log', 'warn', 'error'],
  warn: ['warn', 'error'],
  error: ['error'],
};

export class ServiceLogger extends ConsoleLogger {
  constructor(level: ServiceLogLevel) {
    super({ logLevels: LOG_LEVELS[level] });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && CHATTY_CONTEXTS.has(context)) super.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}
