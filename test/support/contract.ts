/**
 * The OpenAPI document as a test oracle: every response an e2e test receives is checked against the
 * document the app serves at /docs-json, for the operation, the status and the media type. Response
 * objects are closed for the check (a field the document does not declare fails), so the document
 * cannot fall behind the code. Failures name the operation, the status, the field and the schema path.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly parameters: number;
  readonly operation: Operation;
}

/** Paths the document describes without being operations of it. */
const UNDOCUMENTED = /^\/docs(?:[/-]|$)/;
const DOCUMENT_ID = 'openapi:';

/** Every object schema with properties becomes closed, unless it says what else it allows. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === 'example' || key === 'examples' ? value : closed(value);
  }
  if (copy['properties'] && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  return copy;
}

function describeErrors(errors: readonly ErrorObject[], body: unknown, root: string): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const field =
        e.keyword === 'additionalProperties'
          ? `${e.instancePath || '(body)'}/${String((e.params as { additionalProperty: string }).additionalProperty)}`
          : e.instancePath || '(body)';
      const value =
        e.keyword === 'additionalProperties'
          ? ''
          : ` (got ${JSON.stringify(valueAt(body, e.instancePath))?.slice(0, 80)})`;
      const what = e.keyword === 'additionalProperties' ? 'is not in the document' : (e.message ?? e.keyword);
      const schemaPath = e.schemaPath.startsWith(DOCUMENT_ID)
        ? e.schemaPath.slice(DOCUMENT_ID.length)
        : `${root}${e.schemaPath.slice(1)}`;
      return `  - ${field} ${what}${value}; schema ${schemaPath}`;
    })
    .join('\n');
}

function valueAt(body: unknown, pointer: string): unknown {
  let value = body;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

export class Contract {
  private readonly routes: Route[] = [];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: closed(document.components ?? {}) });
    for (const [template, item] of Object.entries(document.paths)) {
      const names: string[] = [];
      const source = template
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}]+)\}/g, (_m, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        this.routes.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}/?$`),
          parameters: names.length,
          operation,
        });
      }
    }
    // A literal segment wins over a parameter (/v1/me/ads before /v1/me/{x}).
    this.routes.sort((a, b) => a.parameters - b.parameters);
  }

  /** The problems of one response, or null when it is what the document says. */
  check(method: string, url: string, response: Response): string | null {
    const path = new URL(url, 'http://contract.invalid').pathname;
    if (UNDOCUMENTED.test(path)) return null;
    // HEAD is answered by every GET route (HTTP semantics) unless the document lists it on its own.
    const find = (m: string) => this.routes.find((r) => r.method === m && r.pattern.test(path));
    const route = find(method.toUpperCase()) ?? (method.toUpperCase() === 'HEAD' ? find('GET') : undefined);
    const mediaType = response.headers['content-type']?.split(';')[0]?.trim() ?? '';
    if (!route) {
      // An unknown route answers 404 (or 405) problem+json: checked against the problem schema.
      if ([404, 405].includes(response.status) && mediaType === 'application/problem+json')
        return this.validate(
          '#/components/schemas/ProblemResponse',
          response.body,
          `${method} ${path}`,
          response,
        );
      return `${method} ${path} answered ${response.status}, but the OpenAPI document has no such operation`;
    }
    const name = `${route.operation.operationId ?? '?'} (${route.method} ${route.template})`;
    const documented =
      route.operation.responses[String(response.status)] ?? route.operation.responses['default'];
    if (!documented) {
      return (
        `${name} answered ${response.status}, which the OpenAPI document does not list ` +
        `(it lists ${Object.keys(route.operation.responses).join(', ')}): declare it on the route, ` +
        `e.g. @ApiProblems({ ${response.status}: '...' }) or @ApiResponse({ status: ${response.status}, type: ... })`
      );
    }
    // A HEAD answer has the GET answer's headers and no body.
    if (method.toUpperCase() === 'HEAD') return null;
    const content = documented.content;
    const hasBody = response.text !== undefined && response.text !== '';
    if (!content) {
      if (!hasBody || response.status === 204 || (response.status >= 300 && response.status < 400))
        return null;
      return `${name} answered ${response.status} with a ${mediaType} body, but the document declares no body for it`;
    }
    const entry = content[mediaType];
    if (!entry) {
      return `${name} answered ${response.status} as ${mediaType || '(no content type)'}, but the document declares ${Object.keys(content).join(', ')}`;
    }
    if (!entry.schema) return null;
    // Binary answers (PDF, images) are checked for their status and media type, not their bytes.
    if (!mediaType.endsWith('json') && !mediaType.startsWith('text/')) return null;
    const body = mediaType.endsWith('json') ? response.body : response.text;
    const ref = entry.schema['$ref'];
    const schema = typeof ref === 'string' && Object.keys(entry.schema).length === 1 ? ref : entry.schema;
    return this.validate(schema, body, `${name} ${response.status} ${mediaType}`, response);
  }

  private validate(schema: Schema | string, body: unknown, name: string, response: Response): string | null {
    const key = typeof schema === 'string' ? schema : JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      // References point into the registered document; inline schemas are closed like components.
      const resolved =
        typeof schema === 'string' ? { $ref: `${DOCUMENT_ID}${schema}` } : rebase(closed(schema));
      validate = this.ajv.compile(resolved as Schema);
      this.validators.set(key, validate);
    }
    if (validate(body)) return null;
    const items = (schema as { items?: { $ref?: string } }).items?.$ref;
    const root = typeof schema === 'string' ? schema : items ? `(array of ${items})#` : '(inline schema)#';
    return (
      `${name}: the body does not match the OpenAPI document:\n${describeErrors(validate.errors ?? [], body, root)}\n` +
      `  body: ${(response.text ?? '').slice(0, 300)}`
    );
  }
}

/** `#/components/...` references of an inline schema, pointed at the registered document. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DOCUMENT_ID}${value}`
        : rebase(value),
    ]),
  );
}

/** supertest's request methods; each returned Test is checked before its assertions resolve. */
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

interface CheckableTest {
  method: string;
  url: string;
  end: (fn?: (error: unknown, response: Response) => void) => unknown;
  expect: (assertion: (response: Response) => void) => unknown;
}

/** Wraps a supertest agent so that every response it receives is checked against the contract. */
export function checkedAgent<T extends object>(agent: T, contract: () => Contract): T {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!(METHODS as readonly PropertyKey[]).includes(property)) {
        // Chained agent methods (set, auth, ...) return the agent: keep returning the checked one.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? receiver : result;
        };
      }
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => CheckableTest).apply(target, args);
        const end = test.end.bind(test);
        test.end = (fn) => {
          test.expect((response) => {
            const problem = contract().check(test.method, test.url, response);
            if (problem) throw new Error(`Contract: ${problem}`);
          });
          return end(fn);
        };
        return test;
      };
    },
  });
}
