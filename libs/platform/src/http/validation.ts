/** class-validator with our conventions: unknown fields refused, errors as `{ path, message }` lists. */
import { isUtf8 } from 'node:buffer';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { badRequest, type FieldError } from './problem';

const INDEX = /^\d+$/;

function joinPath(parent: string, property: string): string {
  if (INDEX.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    // One message per field: the first rule it breaks as the class reads top to bottom. class-validator
    // applies a property's decorators bottom-up, so that rule's message is the last one it lists.
    const message = Object.values(error.constraints ?? {}).at(-1);
    if (message !== undefined) {
      // class-validator words messages as "property must ..."; the path already names the field. The
      // property is client input (an unknown key such as "["): compared as text, never as a RegExp.
      const unnamed = message.replace(/^property \S+ /, '');
      const prefix = `${error.property} `;
      flat.push({ path, message: unnamed.startsWith(prefix) ? unnamed.slice(prefix.length) : unnamed });
    }
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, path));
  }
  return flat;
}

export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** Deeper than any request of the API; the validators recurse, so a deeper body would overflow the stack. */
export const MAX_INPUT_DEPTH = 32;
/**
 * Keys the pipeline would drop unseen by validation: Nest's ValidationPipe deletes `__proto__`,
 * `constructor` and `prototype`, and class-transformer skips (or chokes on) Object.prototype members.
 */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_INPUT_ERRORS = 20;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

/**
 * Input that must be refused before the validators run: strings or keys with NUL characters or lone
 * surrogates (PostgreSQL text and jsonb cannot hold them, so they used to fail as 500s), reserved keys
 * (`__proto__`, `constructor`, `prototype`, `toString`, ...: silently dropped, so a program rule for a
 * product named "prototype" used to vanish with a 201), and nesting deeper than MAX_INPUT_DEPTH (the
 * transformer recursed until the stack overflowed: 500). Walks iteratively: no recursion to overflow.
 */
export function unacceptableInput(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (errors.length < MAX_INPUT_ERRORS) {
    const next = pending.pop();
    if (next === undefined) break;
    const { value: current, path, depth } = next;
    if (typeof current === 'string') {
      const message = textProblem(current);
      if (message) errors.push({ path: path || '(value)', message });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({
        path: path || '(body)',
        message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep`,
      });
      continue;
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) =>
        pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(current as Record<string, unknown>)) {
      const keyPath = joinPath(path, key);
      const keyProblem = RESERVED_KEYS.has(key)
        ? 'is a reserved name and cannot be used as a key'
        : textProblem(key);
      if (keyProblem) errors.push({ path: keyPath, message: keyProblem });
      else pending.push({ value: item, path: keyPath, depth: depth + 1 });
    }
  }
  return errors;
}

/** The ValidationPipe, after a look at the raw input for what it cannot handle (see unacceptableInput). */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = unacceptableInput(value, metadata.data ?? '');
      if (errors.length > 0) throw badRequest('The request is not valid', errors);
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: body, query and params DTOs are validated and transformed. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => badRequest('The request is not valid', flattenValidationErrors(errors)),
  });
}

/**
 * Validates a plain value against a DTO class outside the pipe (e.g. an envelope's `data`, whose class
 * depends on its type). Errors carry `prefix` in their paths.
 */
export function validatePlain<T extends object>(
  cls: ClassConstructor<T>,
  value: unknown,
  prefix: string,
): { value: T; errors: FieldError[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { value: undefined as unknown as T, errors: [{ path: prefix, message: 'must be an object' }] };
  }
  const instance = plainToInstance(cls, value, { enableImplicitConversion: false });
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  return { value: instance, errors: flattenValidationErrors(errors, prefix) };
}

/**
 * body-parser's `verify`: a body declared UTF-8 (JSON always is) must be valid UTF-8. Without it the
 * decoder turns every invalid byte into U+FFFD and the damaged text would be stored as if sent.
 */
export function requireUtf8Body(_request: unknown, _response: unknown, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('The body is not valid UTF-8'), {
      status: 400,
      expose: true,
      type: 'encoding.invalid',
    });
  }
}
