/**
 * The OpenAPI 3.1 document of /api/v1, generated from the declared operations (./operations.ts):
 * their zod schemas are the request and response schemas (zod 4's JSON Schema output), so the
 * document cannot drift from what the API validates. Also the model of the reference page.
 */
import { z } from 'zod';
import { declaredOperations, type Operation } from './operations';

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect); what a request takes (`input`) or a response carries (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

const refusal = z.object({
  error: z.string(),
  field: z.string().optional().meta({ description: 'the field the refusal names' }),
});

function parametersOf(op: Operation) {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: op.params?.[name],
    schema: { type: 'string' },
  }));
  const query = op.query
    ? (jsonSchemaOf(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] })
    : {};
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: (query.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
  return [...inPath, ...inQuery];
}

function requestBodyOf(op: Operation) {
  if (op.upload) {
    const schema = {
      type: 'object',
      required: [op.upload.field],
      properties: {
        [op.upload.field]: {
          type: 'string',
          contentMediaType: 'application/octet-stream',
          description: op.upload.description,
        },
      },
    };
    return { required: true, content: { 'multipart/form-data': { schema } } };
  }
  if (op.body) {
    const schema = jsonSchemaOf(op.body, 'input');
    // A body without fields (an action on the resource in the path) may be sent empty or left out.
    const required =
      Object.keys((schema.properties as object | undefined) ?? {}).length > 0 || schema.type !== 'object';
    return { required, content: { 'application/json': { schema } } };
  }
  return undefined;
}

function responsesOf(op: Operation) {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const content = r.schema
      ? { 'application/json': { schema: jsonSchemaOf(r.schema, 'output') } }
      : r.file
        ? { [r.file]: { schema: { type: 'string', contentMediaType: r.file } } }
        : undefined;
    out[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  out['4XX'] = {
    description:
      'refused: the status says why (400 bad input, 401 not signed in, 403 not yours, 404 unknown, 409 conflict, 429 too many attempts)',
    content: { 'application/json': { schema: jsonSchemaOf(refusal, 'output') } },
  };
  return out;
}

const SECURITY = { bearer: [{ bearer: [] }], dataKey: [{ dataKey: [] }], none: [] } as const;

export function openApiDocument(ops: Operation[] = declaredOperations()) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const roles = op.roles
      ? `Roles: ${op.roles.join(', ')}.`
      : op.auth === 'dataKey'
        ? 'The enterprise’s data-interface key.'
        : op.auth === 'none'
          ? 'Open.'
          : 'Any signed-in user (within their jurisdiction).';
    const requestBody = requestBodyOf(op);
    (paths[op.path] ??= {})[op.method] = {
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      description: [op.description, roles].filter(Boolean).join('\n\n'),
      security: SECURITY[op.auth ?? 'bearer'],
      ...(op.roles ? { 'x-roles': op.roles } : {}),
      parameters: parametersOf(op),
      ...(requestBody ? { requestBody } : {}),
      responses: responsesOf(op),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'warnflow API',
      version: '1',
      description:
        'JSON over HTTP under /api/v1. Bearer tokens come from POST /api/v1/auth/token. Every refusal is JSON {error, field?} with the right 4xx status. Generated from the zod schemas the API validates with.\n\n' +
        MQTT_DESCRIPTION,
    },
    'x-mqtt': MQTT_INTERFACE,
    servers: [{ url: '/api/v1' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        dataKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'per-enterprise data-interface key wfk.<keyId>.<secret> (not a user token)',
        },
      },
    },
    paths,
  };
}
export type OpenApiDocument = ReturnType<typeof openApiDocument>;

/**
 * MQTT ingestion (web/monitoring/mqtt.ts, lib/brokerAuth.ts), documented beside the HTTP operations: the topic
 * layout and payloads, as prose for the reference page and as the document's `x-mqtt` section for tools.
 */
const MQTT_DESCRIPTION =
  'Monitoring data over MQTT (beside POST /api/v1/readings): connect to the broker (MQTT 3.1.1 or 5) with user name = the keyId of a ' +
  'data-interface key and password = the whole key wfk.<keyId>.<secret>; publish a batch with QoS 1 to warnflow/<enterpriseId>/readings ' +
  '(the only topic the key may publish to) with the same JSON body as POST /readings ({"readings": [...]} or the array, plus an optional ' +
  '"batchId" string echoed in the reply). The PUBACK comes only once the batch is stored; while the store is unavailable nothing is ' +
  'acknowledged and the broker delivers it again later. The answer is published on warnflow/<enterpriseId>/replies (subscribe with QoS 1): ' +
  '{batchId?, accepted, duplicates, refused, results: the items not accepted {index, status, field, error}} or, for a batch refused as a ' +
  'whole, {error, field}. A revoked key is refused at connect and a connected client using it is dropped. Keys issued before MQTT ingestion ' +
  'have no broker password: issue a new one.';

const MQTT_INTERFACE = {
  authentication: { username: '<keyId>', password: 'wfk.<keyId>.<secret> (the data-interface key)' },
  publish: {
    topic: 'warnflow/{enterpriseId}/readings',
    qos: 1,
    payload: 'the request body of POST /readings, optionally with batchId (string)',
    acknowledged: 'once stored; not while the store is unavailable (redelivered)',
  },
  subscribe: {
    topic: 'warnflow/{enterpriseId}/replies',
    qos: 1,
    payload: {
      type: 'object',
      properties: {
        batchId: { type: 'string' },
        accepted: { type: 'integer' },
        duplicates: { type: 'integer' },
        refused: { type: 'integer' },
        results: {
          type: 'array',
          description: 'the items not accepted',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer' },
              status: { enum: ['duplicate', 'refused'] },
              field: { type: 'string' },
              error: { type: 'string' },
            },
          },
        },
        error: { type: 'string', description: 'a batch refused as a whole' },
        field: { type: 'string' },
      },
    },
  },
} as const;

/** The reference page's model: operations by area, each with its parameters and schemas as property tables. */
export function referenceModel(doc: OpenApiDocument = openApiDocument()) {
  type Op = {
    tags: string[];
    summary: string;
    description: string;
    parameters: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
    requestBody?: { content: Record<string, { schema: JsonSchema }> };
    responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  };
  const areas = new Map<string, unknown[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as Op;
      const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      const entry = {
        anchor: `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-'),
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description,
        parameters: op.parameters.map((p) => ({ ...p, type: typeOf(p.schema) })),
        body: body
          ? { type: body[0], fields: fieldsOf(body[1].schema), schemaText: JSON.stringify(body[1].schema, null, 2) }
          : undefined,
        responses: Object.entries(op.responses).map(([status, r]) => {
          const c = r.content ? Object.entries(r.content)[0] : undefined;
          return {
            status,
            description: r.description,
            type: c?.[0],
            fields: c ? fieldsOf(c[1].schema) : [],
            schemaText: c ? JSON.stringify(c[1].schema, null, 2) : undefined,
          };
        }),
      };
      const tag = op.tags[0];
      areas.set(tag, [...(areas.get(tag) ?? []), entry]);
    }
  }
  return {
    title: doc.info.title,
    description: doc.info.description,
    areas: [...areas].map(([name, operations]) => ({ name, operations })),
  };
}

function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).join(' | ');
  if (s.type === 'array') return `${typeOf((s.items as JsonSchema) ?? {})}[]`;
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map(typeOf).join(' | ');
  if (Array.isArray(s.oneOf)) return (s.oneOf as JsonSchema[]).map(typeOf).join(' | ');
  const t = Array.isArray(s.type)
    ? (s.type as string[]).join(' | ')
    : ((s.type as string) ?? (s.const !== undefined ? JSON.stringify(s.const) : 'any'));
  return s.format ? `${t} (${s.format as string})` : t;
}

/** The top-level properties of an object schema (or of an array's items) as rows. */
function fieldsOf(s: JsonSchema): { name: string; type: string; required: boolean; description?: string }[] {
  const obj = s.type === 'array' ? ((s.items as JsonSchema) ?? {}) : s;
  const props = (obj.properties as Record<string, JsonSchema>) ?? {};
  const required = (obj.required as string[]) ?? [];
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeOf(p),
    required: required.includes(name),
    description: p.description as string | undefined,
  }));
}
