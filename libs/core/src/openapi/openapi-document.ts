/**
 * The OpenAPI 3.1 document served at /docs-json, built from the controllers' decorators. What every
 * operation shares is added here rather than repeated on each route: the security and roles that
 * @Roles()/@Public() declare (extensions `x-roles`/`x-public`), and the error answers that follow from
 * the route's shape (400 with parameters or a body, 401/403 behind a key, 413/415 with a body, 503 always).
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_MEDIA_TYPE } from './api-docs';
import { ProblemResponse } from './problem.response';
import { documentValidatedClasses } from './validator-schemas';

export const BEARER_SCHEME = 'bearer';
const PROBLEM_REF = { $ref: '#/components/schemas/ProblemResponse' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
  'x-public'?: boolean;
};

const DESCRIPTION = `Referral-partner tracking, commissions, ledger, payouts and audit.

Money is integer minor units of the settlement currency; instants are RFC 3339; days are YYYY-MM-DD in
the settings timezone. Every write answers a \`position\`; every report accepts \`waitFor=<position>\`.
Errors are \`application/problem+json\`. Authentication: \`Authorization: Bearer <key>\` with an API key
(roles admin, ingest, auditor) or a Partner Center token (role partner); each operation names the roles
that may call it, and \`admin\` may call every operation except the partner's own \`/v1/me\` ones.`;

/** Shared error answers: [status, description, applies to the operation?]. */
const SHARED_PROBLEMS: readonly [number, string, (op: Operation) => boolean][] = [
  [
    400,
    'Malformed or invalid input (`errors[]` names each field); nothing was stored',
    (op) => Boolean(op.requestBody) || (op.parameters?.length ?? 0) > 0,
  ],
  [401, 'No key, or a key or token that is not valid', (op) => !op['x-public']],
  [403, 'The caller’s role may not call this operation', (op) => !op['x-public']],
  [413, 'The body is larger than BODY_LIMIT (split the batch)', (op) => Boolean(op.requestBody)],
  [415, 'The body is not sent as `content-type: application/json`', (op) => Boolean(op.requestBody)],
  [503, 'The database is unavailable or the read models are behind; retry after `Retry-After`', () => true],
];

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

function describeRoles(op: Operation): string {
  if (op['x-public']) return 'Public: no key needed.';
  const roles = op['x-roles'] ?? ['admin'];
  if (roles.includes('partner'))
    return 'Role: `partner` (a Partner Center token; the signed-in partner’s own data).';
  return `Roles: ${roles.map((r) => `\`${r}\``).join(', ')}.`;
}

/** Adds what every operation shares; see the file comment. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = (pathItem as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      op.security = op['x-public'] ? [] : [{ [BEARER_SCHEME]: [] }];
      for (const [status, response] of Object.entries(op.responses))
        if (!response.description) response.description = STATUS_TEXT[Number(status)] ?? 'OK';
      const roles = describeRoles(op);
      op.description = op.description ? `${op.description}\n\n${roles}` : roles;
      for (const [status, description, applies] of SHARED_PROBLEMS) {
        if (!applies(op) || op.responses[status]) continue;
        op.responses[status] = { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } } };
      }
    }
  }
  return document;
}

/** The document of a created (not necessarily listening) application. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  documentValidatedClasses();
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Referral ledger')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('UNLICENSED', '')
    .addServer('/', 'This service')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key (rl_...) or Partner Center token (pt....)',
        description: 'An API key from ADMIN_API_KEY or POST /v1/api-keys, or a Partner Center token',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemResponse],
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return completeDocument(document);
}
