/** class-validator with our conventions: unknown fields refused, errors as `{ path, message }` lists. */
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ValidationPipe } from '@nestjs/common';
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
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator words messages as "property must ..."; the path already names the field.
      flat.push({
        path,
        message: message.replace(/^property \S+ /, '').replace(new RegExp(`^${error.property} `), ''),
      });
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

/** The global pipe: body, query and params DTOs are validated and transformed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
