/** The OpenAPI file the app serves parses, and documents the public API the acceptance suite drives. */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const spec = yaml.load(fs.readFileSync(path.join(__dirname, '../../web/api/v1/openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

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
