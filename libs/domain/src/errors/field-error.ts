// Input validation results: a list of field problems that the HTTP layer maps to 400.
export type FieldError = { path: string; message: string };

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
