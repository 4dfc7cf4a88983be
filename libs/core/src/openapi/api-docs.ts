/** Decorators for the OpenAPI document: error responses with the problem schema, CSV answers, redirects. */
import { type Type, applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  type ApiPropertyOptions,
  ApiResponse,
  type ContentObject,
  getSchemaPath,
} from '@nestjs/swagger';
import { ProblemResponse } from './problem.response';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The body of every error status. */
export const problemContent = (): ContentObject => ({
  [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } },
});

/**
 * Error answers of one operation besides the ones every operation shares (400, 401, 403, 413, 415 and
 * 503 are added to the document where they apply, see openapi-document.ts): `{ 404: 'No such partner' }`.
 */
export function ApiProblems(problems: Readonly<Record<number, string>>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...Object.entries(problems).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, content: problemContent() }),
    ),
  );
}

/**
 * A 200 that is JSON (`json`, a response class) or CSV (RFC 4180, CRLF lines; the header line is the
 * example), chosen by `format=csv` or `Accept: text/csv`.
 */
export function ApiJsonOrCsvResponse(
  json: Type,
  description: string,
  csvHeader: string,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(json),
    ApiResponse({
      status: 200,
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(json) } },
        'text/csv': { schema: { type: 'string' }, example: `${csvHeader}\r\n` },
      },
    }),
  );
}

/** The `position` every write answers: pass it as `waitFor` to read your own write. */
export const ApiPosition = (): PropertyDecorator =>
  ApiProperty({
    example: '812-4711',
    pattern: '^\\d+-\\d+$',
    description: 'Log position of this write; pass it as `waitFor` to a report to read your own write',
  });

/** An instant as the service writes it (UTC, milliseconds). */
export const ApiInstant = (options: ApiPropertyOptions = {}): PropertyDecorator =>
  ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-01-05T09:10:02.000Z',
    ...options,
  });
