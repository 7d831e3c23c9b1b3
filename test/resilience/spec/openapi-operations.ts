// The committed OpenAPI spec (openapi/openapi.json) as the list of operations the fuzzer and the access
// matrix walk. Both tests are generated from it: an operation added to the API reaches them through
// the spec, and their coverage guards fail until it is accounted for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A JSON Schema as the spec writes it, with `$ref` and single-entry `allOf` resolved. */
export interface Schema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** The path template, e.g. `/v1/events/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body?: Schema;
  /** none: no security requirement; optional: anonymous or bearer; bearer: a token is required. */
  security: 'none' | 'optional' | 'bearer';
  /** Status codes the spec documents for it. */
  responses: number[];
}

type RawSchema = Schema & { $ref?: string; allOf?: RawSchema[]; properties?: Record<string, RawSchema> };

interface RawOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: RawSchema }>;
  requestBody?: { content: Record<string, { schema: RawSchema }> };
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}

interface RawSpec {
  paths: Record<string, Partial<Record<HttpMethod, RawOperation>>>;
  components: { schemas: Record<string, RawSchema> };
}

export const SPEC_FILE = join(__dirname, '..', '..', '..', 'openapi', 'openapi.json');

let cached: Operation[] | undefined;

/** Every operation of the committed spec, in the spec's order. */
export function specOperations(): Operation[] {
  if (cached) return cached;
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as RawSpec;
  const resolve = (schema: RawSchema | undefined, depth = 0): Schema => {
    if (!schema) return {};
    if (depth > 20) throw new Error('the spec nests schemas deeper than 20 levels');
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = spec.components.schemas[name];
      if (!target) throw new Error(`the spec refers to an unknown schema ${schema.$ref}`);
      return resolve(target, depth + 1);
    }
    if (schema.allOf) {
      if (schema.allOf.length !== 1) throw new Error('allOf with several schemas is not supported here');
      const { allOf, ...own } = schema;
      return { ...resolve(allOf[0], depth + 1), ...stripAnnotations(own) };
    }
    const resolved: Schema = { ...schema };
    if (schema.properties) {
      resolved.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, resolve(value, depth + 1)]),
      );
    }
    if (schema.items) resolved.items = resolve(schema.items, depth + 1);
    return resolved;
  };

  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, raw] of Object.entries(methods) as Array<[HttpMethod, RawOperation]>) {
      if (!raw.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const content = raw.requestBody?.content;
      if (content && !content['application/json']) {
        throw new Error(`${raw.operationId} takes a body that is not JSON: extend the fuzzer for it`);
      }
      operations.push({
        operationId: raw.operationId,
        method,
        path,
        parameters: (raw.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in as Parameter['in'],
          required: p.required ?? false,
          schema: resolve(p.schema),
        })),
        body: content ? resolve(content['application/json']!.schema) : undefined,
        security: securityOf(raw.security),
        responses: Object.keys(raw.responses).map(Number),
      });
    }
  }
  cached = operations;
  return operations;
}

function securityOf(security: RawOperation['security']): Operation['security'] {
  if (!security || security.length === 0) return 'none';
  return security.some((requirement) => Object.keys(requirement).length === 0) ? 'optional' : 'bearer';
}

/** allOf siblings carry documentation (description, default), not constraints we generate from. */
function stripAnnotations(schema: RawSchema): Schema {
  const { $ref: _ref, allOf: _allOf, ...rest } = schema;
  return rest;
}

/** `/v1/events/{id}` with the values filled in (each URL-encoded unless `raw`). */
export function fillPath(template: string, values: Record<string, string>, raw: readonly string[] = []): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${template}`);
    return raw.includes(name) ? value : encodeURIComponent(value);
  });
}

export function describeOperation(operation: Pick<Operation, 'method' | 'path' | 'operationId'>): string {
  return `${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`;
}
