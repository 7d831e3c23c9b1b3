// Bad requests generated from the spec: for every operation, from a request that would be accepted
// (targets.ts), one thing broken at a time — a body property, a query/path parameter, a header, the
// body as a whole, its encoding or its content type. Deterministic: the same spec and seed give the
// same requests, so a failure can be replayed.
import type { Operation, Parameter, Schema } from './openapi-operations';
import { fillPath } from './openapi-operations';
import type { RawRequest } from './raw-http';
import type { ValidRequest } from './targets';

export type Family =
  | 'wrong-type'
  | 'null-value'
  | 'missing-required'
  | 'unknown-field'
  | 'too-long'
  | 'huge-string'
  | 'empty-string'
  | 'odd-unicode'
  | 'bad-number'
  | 'bad-array'
  | 'malformed-json'
  | 'prototype-pollution'
  | 'deep-nesting'
  | 'wrong-content-type'
  | 'oversized-body'
  | 'array-body'
  | 'null-body'
  | 'scalar-body'
  | 'missing-body'
  | 'bad-path-param'
  | 'bad-query-param'
  | 'unknown-query-param'
  | 'bad-header';

export interface FuzzCase {
  operationId: string;
  family: Family;
  /** What was broken: `body.venue.name`, `query.limit`, `path.id`, `header.Idempotency-Key`, `body`. */
  target: string;
  /** A short description of the bad value, for reports. */
  label: string;
  request: RawRequest;
  /** reject: must be refused (4xx). tolerate: may be answered (a GET ignores a body), never with a 5xx. */
  expect: 'reject' | 'tolerate';
  /** One field was broken: a 400 must name it in `errors`. */
  field?: string;
}

/** Gateway's BODY_LIMIT_BYTES default (apps/gateway/src/gateway.config.ts). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** "About 1 MB" yet inside the body limit with the rest of a body, so it reaches validation. */
const HUGE = 1_000_000;
const INTEGER_NAMES = new Set(['limit', 'capacity', 'rating']);

/**
 * Unusual text, each as it travels inside a JSON string. `raw` ones are bytes JSON.stringify cannot
 * produce: an overlong UTF-8 encoding (0xC0 0xAF is "/" in two bytes, which UTF-8 forbids).
 */
export const ODD_UNICODE: Array<{ name: string; text?: string; raw?: Buffer; path: string }> = [
  { name: 'NUL', text: '\u0000', path: '%00' },
  { name: 'lone high surrogate', text: '\ud800', path: '%ED%A0%80' },
  { name: 'lone low surrogate', text: '\udc00', path: '%ED%B0%80' },
  { name: 'RTL override', text: '\u202e', path: '%E2%80%AE' },
  { name: 'emoji', text: '\u{1F389}', path: '%F0%9F%8E%89' },
  { name: 'combining marks', text: 'e\u0301\u0302\u0303', path: 'e%CC%81%CC%82' },
  { name: 'zero-width joiner', text: '\u200d', path: '%E2%80%8D' },
  { name: 'byte order mark', text: '\ufeff', path: '%EF%BB%BF' },
  { name: 'overlong UTF-8', raw: Buffer.from([0xc0, 0xaf]), path: '%C0%AF' },
];

/** A small seeded generator (mulberry32): the same seed, the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen;
}

/** Placeholders in a body that become raw bytes once serialized (values JSON.stringify cannot write). */
class RawValues {
  private readonly values = new Map<string, Buffer>();
  put(bytes: string | Buffer): string {
    const marker = `@@raw${this.values.size}@@`;
    this.values.set(marker, Buffer.from(bytes));
    return marker;
  }
  serialize(value: unknown): Buffer {
    let text = JSON.stringify(value);
    const parts: Buffer[] = [];
    for (const [marker, bytes] of this.values) {
      const quoted = `"${marker}"`;
      const at = text.indexOf(quoted);
      if (at !== -1) {
        parts.push(Buffer.from(text.slice(0, at)), bytes);
        text = text.slice(at + quoted.length);
        continue;
      }
      // Inside a longer string: the marker alone becomes the bytes.
      const inner = text.indexOf(marker);
      if (inner !== -1) {
        parts.push(Buffer.from(text.slice(0, inner)), bytes);
        text = text.slice(inner + marker.length);
      }
    }
    parts.push(Buffer.from(text));
    return Buffer.concat(parts);
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function deleteAt(target: Record<string, unknown>, path: string[]): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) node = node?.[key];
  if (node && typeof node === 'object') delete node[path.at(-1)!];
}

function isIntegerLike(name: string, schema: Schema): boolean {
  if (schema.type === 'integer') return true;
  if (schema.type !== 'number') return false;
  if (INTEGER_NAMES.has(name)) return true;
  const sample = schema.example ?? schema.default;
  return typeof sample === 'number' && Number.isInteger(sample) && schema.minimum !== undefined && schema.minimum >= 0;
}

/** A value of the schema's type that is valid for it, for properties the valid body leaves out. */
function validSample(schema: Schema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'x';
  }
}

/** Formats that document a string without constraining its characters. */
const FREE_FORMATS = new Set(['password']);

/** "Free text": only a length bounds it, so odd characters alone do not make it wrong. */
function isFreeText(schema: Schema): boolean {
  return !schema.enum && (!schema.format || FREE_FORMATS.has(schema.format)) && !schema.pattern;
}

/** Does the empty string break this property? (It does not for optional free text such as a description.) */
function emptyIsInvalid(schema: Schema, required: boolean): boolean {
  return (schema.minLength ?? 0) >= 1 || !!schema.enum || !!schema.format || !!schema.pattern || required;
}

function numberIsInvalid(value: number, name: string, schema: Schema): boolean {
  if (!Number.isFinite(value)) return true;
  if (schema.minimum !== undefined && value < schema.minimum) return true;
  if (schema.maximum !== undefined && value > schema.maximum) return true;
  return isIntegerLike(name, schema) && !Number.isInteger(value);
}

export interface OperationInput {
  operation: Operation;
  valid: ValidRequest;
  token: string;
  /** Ids of other kinds of resource (a review's id in an event's path must be 404, never acted on). */
  foreignIds: string[];
}

/** Every bad request for one operation. */
export function fuzzCasesFor(input: OperationInput, random: () => number): FuzzCase[] {
  const { operation, valid, token } = input;
  const cases: FuzzCase[] = [];
  const hasBody = operation.body !== undefined;
  const readsBody = operation.method !== 'get';
  const base = {
    path: valid.path,
    query: valid.query ?? {},
    headers: { authorization: `Bearer ${token}`, ...valid.headers },
  };

  const url = (over: { path?: Record<string, string>; raw?: string[]; query?: string } = {}) => {
    const path = fillPath(operation.path, { ...base.path, ...over.path }, over.raw);
    const query = over.query ?? new URLSearchParams(base.query).toString();
    return query ? `${path}?${query}` : path;
  };
  const jsonRequest = (body: Buffer | string | undefined, contentType = 'application/json'): RawRequest => ({
    method: operation.method.toUpperCase(),
    path: url(),
    headers: { ...base.headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body,
  });
  const add = (family: Family, target: string, label: string, request: RawRequest, extra: Partial<FuzzCase> = {}) =>
    cases.push({ operationId: operation.operationId, family, target, label, request, expect: 'reject', ...extra });

  // Body properties, one broken at a time, the rest valid.
  if (operation.body && valid.body) {
    fuzzObject(operation.body, [], valid.body, random, (family, path, label, mutate, raws) => {
      const body = clone(valid.body!);
      mutate(body);
      const field = path.join('.');
      add(family, `body.${field}`, label, jsonRequest(raws.serialize(body)), { field });
    });
  }

  // The body as a whole.
  // An operation without a body ignores a well-formed one: its malformed variants start from a real object.
  const validText = JSON.stringify(valid.body ?? { note: 'x' });
  if (readsBody) {
    const whole = (family: Family, label: string, request: RawRequest, extra: Partial<FuzzCase> = {}) =>
      add(family, 'body', label, request, extra);
    for (const [label, text] of [
      ['truncated', validText.slice(0, Math.max(1, Math.floor(validText.length / 2)))],
      ['single quotes', validText.replace(/"/g, "'")],
      ['trailing comma', `${validText.slice(0, -1)},}`],
      ['trailing garbage', `${validText}}`],
      ['NaN literal', 'NaN'],
      ['undefined literal', 'undefined'],
      ['empty with JSON content type', ''],
    ] as const) {
      whole('malformed-json', label, jsonRequest(text));
    }
    whole('prototype-pollution', '__proto__', jsonRequest(`{"__proto__":{"admin":true},${validText.slice(1)}`));
    whole(
      'prototype-pollution',
      'constructor.prototype',
      jsonRequest(`{"constructor":{"prototype":{"admin":true}},${validText.slice(1)}`),
    );
    const depth = 100_000;
    whole('deep-nesting', `arrays ${depth} deep`, jsonRequest('['.repeat(depth) + ']'.repeat(depth)));
    whole('deep-nesting', `objects ${depth} deep`, jsonRequest('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));
    for (const [label, contentType, text] of [
      ['text/plain', 'text/plain', validText],
      ['form-urlencoded', 'application/x-www-form-urlencoded', formEncode(valid.body ?? { a: 'b' })],
      [
        'multipart/form-data',
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n`,
      ],
      ['application/xml', 'application/xml', '<a>b</a>'],
      ['no content type', undefined, validText],
    ] as const) {
      const request = jsonRequest(text, contentType ?? 'application/json');
      if (contentType === undefined) delete request.headers!['content-type'];
      whole('wrong-content-type', label, request);
    }
    whole('oversized-body', `declares ${BODY_LIMIT_BYTES + 1} bytes`, {
      ...jsonRequest(`{"pad":"${'a'.repeat(64)}`),
      declaredLength: BODY_LIMIT_BYTES + 1,
    });
    whole('oversized-body', 'declares 100 MB', {
      ...jsonRequest(`{"pad":"${'a'.repeat(64)}`),
      declaredLength: 100 * 1024 * 1024,
    });
    if (hasBody) {
      whole('array-body', '[]', jsonRequest('[]'));
      whole('array-body', '[valid body]', jsonRequest(`[${validText}]`));
      whole('null-body', 'null', jsonRequest('null'));
      for (const scalar of ['"text"', '42', 'true']) whole('scalar-body', scalar, jsonRequest(scalar));
      whole('missing-body', 'no body, no content type', jsonRequest(undefined));
    }
  } else {
    // A GET has no body: one sent is ignored, never a reason to fail.
    add('malformed-json', 'body', 'malformed JSON body on a GET', jsonRequest('{"a":'), { expect: 'tolerate' });
    add('wrong-content-type', 'body', 'text/plain body on a GET', jsonRequest('hello', 'text/plain'), {
      expect: 'tolerate',
    });
  }

  // Path parameters.
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const name = parameter.name;
    const target = `path.${name}`;
    // The body stays valid: only the path is wrong.
    const bodyFor = () => (valid.body ? JSON.stringify(valid.body) : undefined);
    const bad = (label: string, value: string, extra: Partial<FuzzCase> = {}, raw = false) =>
      add(
        'bad-path-param',
        target,
        label,
        { ...jsonRequest(bodyFor()), path: url({ path: { [name]: value }, raw: raw ? [name] : [] }) },
        extra,
      );
    bad('not a uuid', 'not-a-uuid', { field: name });
    bad('negative number', '-1', { field: name });
    bad('NaN', 'NaN', { field: name });
    // Well-formed ids of nothing: an idempotent removal may answer 2xx for them, provided nothing
    // changes (the state snapshot judges); anything else answers 404.
    const nothing = { expect: 'tolerate' } as const;
    bad('nil uuid', '00000000-0000-0000-0000-000000000000', nothing);
    bad('unknown uuid', randomUuid(random), nothing);
    bad('upper-cased real id', base.path[name]!.toUpperCase(), nothing);
    for (const foreign of input.foreignIds.filter((id) => id !== base.path[name]).slice(0, 1)) {
      bad('id of another kind of resource', foreign, nothing);
    }
    bad('path traversal', '..%2F..%2Fadmin', {}, true);
    bad(`${101} characters (over the router's parameter limit)`, 'a'.repeat(101));
    bad('1 MB', 'a'.repeat(HUGE));
    for (const odd of pick(random, ODD_UNICODE, 3))
      bad(`odd unicode: ${odd.name}`, `${odd.path}${base.path[name]}`, {}, true);
    bad('invalid percent-encoding', '%E0%A4%A', {}, true);
  }

  // Query parameters.
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  for (const parameter of queryParameters) {
    const target = `query.${parameter.name}`;
    for (const [label, value] of badQueryValues(parameter, random)) {
      const query = new URLSearchParams(base.query);
      if (Array.isArray(value)) value.forEach((v) => query.append(parameter.name, v));
      else query.set(parameter.name, value);
      const rawQuery = label.startsWith('raw ') ? `${parameter.name}=${value as string}` : query.toString();
      add(
        'bad-query-param',
        target,
        label,
        { ...jsonRequest(undefined), path: url({ query: rawQuery }) },
        {
          field: parameter.name,
        },
      );
    }
  }
  if (queryParameters.length > 0) {
    const query = new URLSearchParams(base.query);
    query.set('zzUnknown', '1');
    add(
      'unknown-query-param',
      'query.zzUnknown',
      'unknown parameter',
      { ...jsonRequest(undefined), path: url({ query: query.toString() }) },
      { field: 'zzUnknown' },
    );
  } else if (!readsBody) {
    // A read that takes no parameters may ignore one (a write would then act, so none is sent to it).
    add(
      'unknown-query-param',
      'query.zzUnknown',
      'unknown parameter',
      { ...jsonRequest(undefined), path: url({ query: 'zzUnknown=1' }) },
      { expect: 'tolerate' },
    );
  }

  // Header parameters.
  for (const parameter of operation.parameters.filter((p) => p.in === 'header')) {
    const target = `header.${parameter.name}`;
    const values: Array<[string, string]> =
      parameter.name.toLowerCase() === 'idempotency-key'
        ? [
            ['256 characters', 'k'.repeat((parameter.schema.maxLength ?? 255) + 1)],
            ['contains a space', 'two words'],
            ['empty', ''],
            ['latin-1 byte', 'caf\u00e9'],
          ]
        : [
            ['never sent by the stream', 'not-a-position'],
            ['1 KB', 'p'.repeat(1024)],
          ];
    for (const [label, value] of values) {
      const request = jsonRequest(valid.body ? JSON.stringify(valid.body) : undefined);
      request.headers = { ...request.headers, [parameter.name]: value };
      add('bad-header', target, label, request, { field: parameter.name });
    }
  }
  return cases;
}

function randomUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function formEncode(body: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(body).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  ).toString();
}

type Emit = (
  family: Family,
  path: string[],
  label: string,
  mutate: (body: Record<string, unknown>) => void,
  raws: RawValues,
) => void;

/** Breaks each property of an object schema (and of the objects inside it) in every way that applies. */
function fuzzObject(schema: Schema, at: string[], valid: unknown, random: () => number, emit: Emit): void {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const simple = (family: Family, path: string[], label: string, value: unknown) =>
    emit(family, path, label, (body) => setAt(body, path, value), new RawValues());
  const raw = (family: Family, path: string[], label: string, bytes: string | Buffer) => {
    const raws = new RawValues();
    const marker = raws.put(bytes);
    emit(family, path, label, (body) => setAt(body, path, marker), raws);
  };

  // An unknown property next to the known ones.
  simple('unknown-field', [...at, 'zzUnknown'], 'unknown property', 'x');

  for (const [name, property] of Object.entries(properties)) {
    const path = [...at, name];
    const isRequired = required.has(name);
    const current = (valid as Record<string, unknown> | undefined)?.[name] ?? validSample(property);
    if (isRequired) emit('missing-required', path, 'missing', (body) => deleteAt(body, path), new RawValues());
    if (!property.nullable) simple('null-value', path, 'null', null);
    for (const [label, value] of wrongTypes(property)) simple('wrong-type', path, label, value);

    switch (property.type) {
      case 'string': {
        if (property.maxLength !== undefined) {
          simple('too-long', path, `${property.maxLength + 1} characters`, 'a'.repeat(property.maxLength + 1));
        }
        simple('huge-string', path, `${HUGE} characters`, 'a'.repeat(HUGE));
        if (emptyIsInvalid(property, isRequired)) simple('empty-string', path, 'empty', '');
        for (const odd of pick(random, ODD_UNICODE, 3)) {
          // Free text with a maximum: the odd character repeated past it. Anything else (an enum, a
          // date, a zone, an address): the odd character spliced into a valid value.
          const repeat = isFreeText(property) && property.maxLength !== undefined ? property.maxLength + 1 : 0;
          if (!repeat && isFreeText(property) && !isRequired) continue;
          const text = String(current);
          const middle = Math.floor(text.length / 2);
          if (odd.raw) {
            const unit = odd.raw;
            const bytes = repeat
              ? Buffer.concat([Buffer.from('"'), ...Array.from({ length: repeat }, () => unit), Buffer.from('"')])
              : Buffer.concat([
                  Buffer.from(JSON.stringify(text.slice(0, middle)).slice(0, -1)),
                  unit,
                  Buffer.from(JSON.stringify(text.slice(middle)).slice(1)),
                ]);
            raw('odd-unicode', path, `${odd.name}${repeat ? ` ×${repeat}` : ' inside'}`, bytes);
          } else {
            const value = repeat ? odd.text!.repeat(repeat) : text.slice(0, middle) + odd.text! + text.slice(middle);
            simple('odd-unicode', path, `${odd.name}${repeat ? ` ×${repeat}` : ' inside'}`, value);
          }
        }
        break;
      }
      case 'number':
      case 'integer': {
        const candidates: Array<[string, number | string]> = [
          ['-1', -1],
          ['0', 0],
          ['1.5', 1.5],
          ['0.000001', 0.000001],
          ['above maximum', (property.maximum ?? 1e9) + 1],
          ['1e308', 1e308],
          ['-1e308', -1e308],
        ];
        for (const [label, value] of candidates) {
          if (numberIsInvalid(value as number, name, property)) simple('bad-number', path, label, value);
        }
        // Numbers JSON.stringify cannot write: JSON.parse reads them as Infinity and 2^53 + 2.
        raw('bad-number', path, '1e400', '1e400');
        raw('bad-number', path, '-1e400', '-1e400');
        raw('bad-number', path, '2^53 + 1', '9007199254740993');
        if (numberIsInvalid(-0, name, property)) raw('bad-number', path, '-0', '-0');
        break;
      }
      case 'array': {
        const item = property.items ?? {};
        if (property.maxItems !== undefined) {
          simple(
            'bad-array',
            path,
            `${property.maxItems + 1} items`,
            Array.from({ length: property.maxItems + 1 }, () => validSample(item)),
          );
        }
        simple('bad-array', path, 'items of the wrong type', [{ nested: true }]);
        if (item.enum) simple('bad-array', path, 'unknown enum item', ['bogus.value']);
        simple(
          'bad-array',
          path,
          '100,000 items',
          Array.from({ length: 100_000 }, () => 1),
        );
        simple('bad-array', path, `a ${HUGE}-character item`, ['a'.repeat(HUGE)]);
        break;
      }
      case 'object':
      default:
        if (property.properties) fuzzObject(property, path, current, random, emit);
        break;
    }
  }
}

function wrongTypes(schema: Schema): Array<[string, unknown]> {
  const all: Array<[string, unknown, string[]]> = [
    ['a number', 12345, ['number', 'integer']],
    ['a numeric string', '12', ['string']],
    ['a boolean', true, ['boolean']],
    ['an object', { a: 1 }, ['object']],
    ['an array', ['a'], ['array']],
  ];
  const type = schema.type ?? (schema.properties ? 'object' : 'string');
  return all.filter(([, , fits]) => !fits.includes(type)).map(([label, value]) => [label, value]);
}

/** Bad values for a query parameter; an array sends the parameter several times. */
function badQueryValues(parameter: Parameter, random: () => number): Array<[string, string | string[]]> {
  const schema = parameter.schema;
  const values: Array<[string, string | string[]]> = [];
  switch (schema.type) {
    case 'number':
    case 'integer':
      values.push(
        ['not a number', 'abc'],
        ['float', '1.5'],
        ['negative', '-1'],
        ['zero', '0'],
        ['1e400', '1e400'],
        ['NaN', 'NaN'],
        ['2^53 + 1', '9007199254740993'],
        ['above maximum', String((schema.maximum ?? 1e9) + 1)],
        ['empty', ''],
        ['repeated', ['1', '2']],
      );
      break;
    case 'boolean':
      values.push(['maybe', 'maybe'], ['2', '2'], ['empty', ''], ['repeated', ['true', 'false']]);
      break;
    default:
      if (schema.enum) {
        values.push(['unknown value', 'bogus'], ['empty', ''], ['enum with NUL', `${String(schema.enum[0])}\u0000`]);
      } else if (schema.format === 'uuid') {
        values.push(['not a uuid', 'not-a-uuid'], ['empty', '']);
      } else if (schema.maxLength === undefined) {
        // A date or an instant (from, to).
        values.push(['not a date', 'not-a-date'], ['RTL override inside', `2027-03-01T00:00:00Z\u202e`]);
      } else if (OPAQUE_TOKEN.test(parameter.name)) {
        values.push(['garbage', 'garbage-value-!@#']);
        for (const odd of pick(random, ODD_UNICODE, 2)) values.push([`raw odd unicode: ${odd.name}`, `${odd.path}x`]);
      }
      if (schema.maxLength !== undefined)
        values.push([`${schema.maxLength + 1} characters`, 'a'.repeat(schema.maxLength + 1)]);
      values.push(['1 MB', 'a'.repeat(HUGE)]);
      values.push(['repeated', ['a', 'b']]);
  }
  return values;
}

/**
 * Parameters that carry a value the server issued (a page cursor, a stream position): anything else
 * is wrong. A search word (`q`) is free text, so odd characters alone are not.
 */
const OPAQUE_TOKEN = /cursor|eventid/i;
