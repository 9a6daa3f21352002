/**
 * The OpenAPI document is generated from the operations the API declares (web/api/v1/operations.ts):
 * every route of the /api/v1 router has a declaration, every write has a request-body schema, every
 * success with a body has a response schema, and the document documents the public API the acceptance
 * suite drives. What /api/v1/openapi.yaml serves parses as YAML.
 */
import express from 'express';
import yaml from 'js-yaml';
import { apiV1, DOCUMENT_ROUTES } from '../../web/api/v1';
import { declaredOperations } from '../../web/api/v1/operations';
import { openApiDocument, referenceModel } from '../../web/api/v1/openapi';
import type { Services } from '../../web/composition';
import { routeKeys } from '../helpers/routes';

// The routers only keep the services for their handlers: building them needs no real service.
const stubServices = new Proxy({}, { get: () => ({}) }) as Services;
const app = express();
app.use('/api/v1', apiV1(stubServices, { demo: true }));
const spec = yaml.load(JSON.stringify(openApiDocument())) as {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: { name: string; in: string }[];
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
      }
    >
  >;
};
const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method, op })),
);

it('every route of the API router is a declared operation, and every declaration is a route', () => {
  const routes = routeKeys(app)
    .map((k) => k.replace(/^(\w+) \/api\/v1/, '$1 '))
    .filter((k) => !DOCUMENT_ROUTES.includes(k.split(' ')[1]));
  const declared = declaredOperations().map((o) => `${o.method.toUpperCase()} ${o.routeText}`);
  expect([...routes].sort()).toEqual([...declared].sort());
  expect(routes.length).toBeGreaterThanOrEqual(52);
});

it('is OpenAPI 3.1 with one entry per declared operation', () => {
  expect(spec.openapi).toBe('3.1.0');
  expect(operations).toHaveLength(declaredOperations().length);
});

it.each(operations.map((o) => [o.method.toUpperCase(), o.path, o.op] as const))(
  '%s %s: its writes have a request-body schema, its successes a response schema, its path parameters are described',
  (method, path, op) => {
    if (['POST', 'PUT', 'PATCH'].includes(method)) {
      const body = Object.values(op.requestBody?.content ?? {})[0];
      expect(body?.schema).toBeDefined();
    }
    const successes = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
    expect(successes.length).toBeGreaterThan(0);
    for (const [status, r] of successes) {
      if (status === '204') expect(r.content).toBeUndefined();
      else expect(Object.values(r.content ?? {})[0]?.schema).toBeDefined();
    }
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(inPath);
  },
);

it.each([
  ['/auth/token', 'post'],
  ['/warnings', 'post'],
  ['/cases', 'get'],
  ['/cases/{id}', 'get'],
  ['/cases/{id}/level', 'post'],
  ['/cases/{id}/feedback', 'post'],
  ['/tasks', 'get'],
  ['/tasks/{id}/complete', 'post'],
  ['/policies/escalation', 'put'],
  ['/enterprises', 'post'],
  ['/users', 'post'],
  ['/readings', 'post'],
  ['/policies/enforcement', 'put'],
  ['/interviews', 'post'],
  ['/penalties', 'post'],
  ['/documents', 'get'],
  ['/documents/{id}', 'get'],
  ['/notifications', 'get'],
  ['/notifications/{id}/read', 'post'],
  ['/cases/{id}/policy-version', 'post'],
  ['/uploads', 'post'],
  ['/offline-policy', 'put'],
])('documents %s %s', (p, method) => {
  expect(spec.paths[p]?.[method]).toBeDefined();
});

it('a schema in the document is the one the API validates with: the warning request names its fields and enums', () => {
  const body = spec.paths['/warnings'].post.requestBody!.content['application/json'].schema as {
    required: string[];
    properties: Record<string, { enum?: string[] }>;
  };
  expect(body.required.sort()).toEqual(['enterpriseId', 'level', 'reason']);
  expect(body.properties.level.enum).toEqual(['red', 'orange', 'yellow', 'blue']);
  const complete = spec.paths['/tasks/{id}/complete'].post.requestBody!.content['application/json'].schema as {
    properties: { form: { anyOf: { title: string }[] } };
  };
  expect(complete.properties.form.anyOf.map((f) => f.title)).toContain('penaltyDecision');
});

it('the reference page lists every operation with its parameters and schemas', () => {
  const model = referenceModel();
  expect(model.areas.flatMap((a) => a.operations)).toHaveLength(operations.length);
  const token = model.areas.find((a) => a.name === 'access')!.operations[0] as {
    method: string;
    path: string;
    body: { fields: { name: string; required: boolean }[] };
  };
  expect(token).toMatchObject({ method: 'POST', path: '/auth/token' });
  expect(token.body.fields).toEqual([
    { name: 'username', type: 'string', required: true, description: undefined },
    { name: 'password', type: 'string', required: true, description: undefined },
  ]);
});

it('documents the MQTT interface: topics, QoS and the reply payload, in the reference text and in x-mqtt', () => {
  const doc = openApiDocument();
  expect(doc.info.description).toContain('warnflow/<enterpriseId>/readings');
  expect(doc.info.description).toContain('warnflow/<enterpriseId>/replies');
  expect(doc['x-mqtt'].publish).toMatchObject({ topic: 'warnflow/{enterpriseId}/readings', qos: 1 });
  expect(doc['x-mqtt'].subscribe.topic).toBe('warnflow/{enterpriseId}/replies');
  expect(Object.keys(doc['x-mqtt'].subscribe.payload.properties)).toEqual([
    'batchId',
    'accepted',
    'duplicates',
    'refused',
    'results',
    'error',
    'field',
  ]);
  expect(referenceModel(doc).description).toContain('PUBACK comes only once the batch is stored');
});
