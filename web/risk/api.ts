/**
 * The risk model's API (issue 14, after `bearerAuth`): the risk rules as versions with a band preview
 * (administrators change them), an enterprise's latest index and its history, and the distribution within the
 * caller's jurisdiction.
 */
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import {
  riskDistributionResponse,
  riskEnterpriseResponse,
  riskHistoryResponse,
  riskPreviewResponse,
  riskRulesForm,
  riskRulesView,
} from './schemas';

export function riskApi(s: Services) {
  const api = operations('risk');
  const { risk } = s;
  api.get(
    '/policies/risk',
    {
      summary:
        'The risk-index rules in force (weights, saturation points and bands per industry group, scales, window, damping hold time), with their version',
      responses: { 200: { description: 'the version in force', schema: riskRulesView } },
    },
    () => risk.currentRules(),
  );
  api.put(
    '/policies/risk',
    {
      summary:
        'A new version of the risk-index rules (administrators); applies to the next computation, which records it. 409 when `version` is not the one in force',
      roles: ['admin'],
      body: riskRulesForm,
      responses: { 200: { description: 'the new version', schema: riskRulesView } },
    },
    (req, _res, input) => risk.setRules(req.principal!, input.body(), req.ip),
  );
  api.post(
    '/policies/risk/preview',
    {
      summary:
        'How many enterprises each level would hold under draft rules (from each enterprise’s latest inputs), beside the rules in force; nothing is stored',
      roles: ['admin'],
      body: riskRulesForm,
      responses: {
        200: { description: 'the counts per level, in total and per rule group', schema: riskPreviewResponse },
      },
    },
    (req, _res, input) => risk.preview(req.principal!, input.body()),
  );
  api.get(
    '/risk/distribution',
    {
      summary: 'Enterprises per risk level in total, per industry and per region, within your jurisdiction',
      roles: ['admin', 'regulator'],
      responses: { 200: { description: 'the distribution', schema: riskDistributionResponse } },
    },
    (req) => risk.distribution(req.principal!),
  );
  api.get(
    '/risk/enterprises/{enterpriseId}',
    {
      summary:
        'An enterprise’s latest risk index: score, level and composition (each factor, weight, value, contribution)',
      params: { enterpriseId: 'the enterprise id' },
      responses: {
        200: { description: 'the latest computation and its composition in words', schema: riskEnterpriseResponse },
      },
    },
    async (req) => {
      const r = await risk.enterpriseRisk(req.principal!, req.params.enterpriseId as string);
      return { enterpriseId: r.enterprise._id, latest: r.latest, explanation: r.explanation };
    },
  );
  api.get(
    '/risk/enterprises/{enterpriseId}/history',
    {
      summary:
        'An enterprise’s risk computations, newest first (at most 200), each with its trigger and the warning move it asked for',
      params: { enterpriseId: 'the enterprise id' },
      responses: { 200: { description: 'the history', schema: riskHistoryResponse } },
    },
    async (req) => {
      const h = await risk.history(req.principal!, req.params.enterpriseId as string);
      return { enterpriseId: h.enterpriseId, computations: h.computations };
    },
  );
  return api.router;
}
