/** The escalation ladder and the enforcement clocks, versioned (after `bearerAuth`; a new version is the administrators'). */
import { z } from 'zod';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import { enforcementPolicyForm, escalationPolicyForm } from './policies';

const version = { version: z.number().int().meta({ description: 'assigned by the service; running cases keep the version they started with' }) };

export function policiesApi(s: Services) {
  const api = operations('policies');
  api.get(
    '/policies/escalation',
    { summary: 'The escalation policy in force (the ladder per level, seed 002 第二十至二十三条), with its version', responses: { 200: { description: 'the policy', schema: escalationPolicyForm.extend(version) } } },
    (_req) => s.policies.currentEscalation(),
  );
  api.put(
    '/policies/escalation',
    {
      summary: 'A new version of the escalation policy (administrators); applies to warnings opened after it, running ones keep theirs',
      roles: ['admin'],
      body: escalationPolicyForm,
      responses: { 200: { description: 'the new version', schema: escalationPolicyForm.extend(version) } },
    },
    (req, _res, input) => s.policies.setEscalation(req.principal!, input.body(), req.ip),
  );
  api.get(
    '/policies/enforcement',
    { summary: 'The interview (约谈) and penalty (行政处罚) clocks in force, with their version', responses: { 200: { description: 'the clocks', schema: enforcementPolicyForm.extend(version) } } },
    (_req) => s.policies.currentEnforcement(),
  );
  api.put(
    '/policies/enforcement',
    {
      summary: 'A new version of the enforcement clocks (administrators); applies to interviews and penalties opened after it',
      roles: ['admin'],
      body: enforcementPolicyForm,
      responses: { 200: { description: 'the new version', schema: enforcementPolicyForm.extend(version) } },
    },
    (req, _res, input) => s.policies.setEnforcement(req.principal!, input.body(), req.ip),
  );
  return api.router;
}
