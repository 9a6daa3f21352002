/**
 * The permits API (after `bearerAuth`): the platform feed of special-work permits (work type, place, time,
 * e-permit; GET /permits with filters), an enterprise's application and the steps of its work, the counts of
 * active permits, and the explanation of a conduct alarm.
 */
import { z } from 'zod';
import { openedCase } from '../schemas';
import { operations, versionedPolicy } from '../api/v1/operations';
import type { Services } from '../composition';
import {
  PERMIT_STEPS,
  cancelForm,
  conductExplanationForm,
  decisionForm,
  extensionForm,
  gasAnalysisForm,
  noteForm,
  permitApplicationForm,
  permitCounts,
  permitPolicyForm,
  permitQuery,
  permitView,
  signOffForm,
  suspendForm,
  type PermitStep,
} from './schemas';

/** Steps that take no values: an empty object (who takes the step is the caller). */
const nothing = z.object({});

const STEP_BODIES: Record<PermitStep, { schema: z.ZodType; summary: string }> = {
  'sign-off': {
    schema: signOffForm,
    summary: 'Sign the permit as the role the e-permit names you for, in the order its type and level require (签批)',
  },
  'gas-analysis': {
    schema: gasAnalysisForm,
    summary: 'Record a gas analysis (气体分析): time, place, analyst, readings, verdict',
  },
  start: { schema: nothing, summary: 'Start the work; refused on a stale or unqualified gas analysis' },
  'check-in': { schema: nothing, summary: 'The guardian (监护人) checks in' },
  suspend: { schema: suspendForm, summary: 'Suspend the work (gas alarm, weather, incident …)' },
  resume: {
    schema: nothing,
    summary: 'Resume the work; after an interruption beyond the limit a new gas analysis is required first',
  },
  extension: { schema: extensionForm, summary: 'Request an extension of the validity (within the standard’s limit)' },
  'extension-decision': { schema: decisionForm, summary: 'The approver decides an extension request' },
  finish: { schema: nothing, summary: 'The work is finished; acceptance follows' },
  acceptance: { schema: noteForm, summary: 'Accept the finished work (完工验收): the permit closes' },
  cancel: { schema: cancelForm, summary: 'Withdraw an application not yet started' },
};

export function permitsApi(s: Services) {
  const api = operations('permits');
  const permits = s.permits;

  api.get(
    '/permits',
    {
      summary:
        'Special-work permits (特殊作业票) in your jurisdiction, newest first: work type, place, time and the e-permit',
      query: permitQuery,
      responses: { 200: { description: 'the permits', schema: z.array(permitView) } },
    },
    async (req, res, input) => void res.json(await permits.list(req.principal!, input.query())),
  );
  api.post(
    '/permits',
    {
      summary:
        'Apply for a permit: the e-permit is checked against the permit rules in force (GB 30871-2022) and the sign-offs begin',
      roles: ['enterprise', 'admin'],
      body: permitApplicationForm,
      responses: {
        201: { description: 'the permit and its case', schema: openedCase.extend({ permitId: z.string() }) },
      },
    },
    async (req, res, input) => void res.status(201).json(await permits.apply(req.principal!, input.body(), req.ip)),
  );
  api.get(
    '/permits/counts',
    {
      summary: 'Active permits in your jurisdiction, by type and managed level',
      responses: { 200: { description: 'the counts', schema: permitCounts } },
    },
    async (req, res) => void res.json(await permits.activeCounts(req.principal!)),
  );
  api.get(
    '/permits/{id}',
    {
      summary: 'One permit',
      params: { id: 'the permit id' },
      responses: { 200: { description: 'the permit', schema: permitView } },
    },
    async (req, res) => void res.json(await permits.get(req.principal!, req.params.id as string)),
  );
  for (const step of PERMIT_STEPS) {
    const b = STEP_BODIES[step];
    api.post(
      `/permits/{id}/${step}`,
      {
        summary: b.summary,
        roles: ['enterprise'],
        params: { id: 'the permit id' },
        body: b.schema,
        responses: {
          200: {
            description: 'the permit’s state after the step (409 with the reason when it may not be taken now)',
            schema: z.record(z.string(), z.unknown()),
          },
        },
      },
      async (req, res) =>
        void res.json(await permits.step(req.principal!, req.params.id as string, step, req.body ?? {}, req.ip)),
    );
  }
  api.post(
    '/permit-conduct-alarms/{id}/explanation',
    {
      summary: 'Explain a conduct alarm (作业违规报警) of one of your permits: cause and measures',
      roles: ['enterprise'],
      route: /^\/permit-conduct-alarms\/(.+)\/explanation$/,
      params: { id: 'the conduct alarm’s case id (contains slashes)' },
      body: conductExplanationForm,
      responses: { 204: { description: 'explained; the alarm closes' } },
    },
    async (req, res) => {
      await permits.explainConductAlarm(req.principal!, decodeURIComponent(String(req.params[0])), req.body, req.ip);
      res.status(204).end();
    },
  );
  versionedPolicy(api, '/policies/permits', {
    form: permitPolicyForm,
    current: () => permits.currentPolicy(),
    store: (p, form, ip) => permits.setPolicy(p, form, ip),
    inForce:
      'The special-work permit rules in force (GB 30871-2022 defaults, each value with its clause), with their version',
    newVersion: 'A new version of the permit rules (administrators); applies to permits applied for after it',
  });
  return api.router;
}
