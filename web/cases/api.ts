/**
 * The cases API (after `bearerAuth`): risk warnings, cases (ids contain slashes) with level changes,
 * feedback and policy migration; monitoring alarms' disposal, the alarm and offline policies and
 * suspension requests; official documents and the enforcement follow-ups they come from.
 */
import { z } from 'zod';
import { HttpError } from '../errors';
import { openedCase } from '../schemas';
import { operations, versionedPolicy } from '../api/v1/operations';
import type { Services } from '../composition';
import {
  alarmDisposalForm,
  alarmPolicyForm,
  offlinePolicyForm,
  suspensionDecisionForm,
  suspensionRequestForm,
} from './alarms';
import { caseQuery, levelChangeForm, policyMigrationForm, warningFeedbackWithAttachmentsForm } from './cases';
import { openInterviewForm, openPenaltyForm, publicNoticeForm } from './enforcement';
import { raiseWarningForm } from './warnings';
import {
  caseSummary,
  caseView,
  documentView,
  monitoringAlarmState,
  riskWarningState,
  suspensionRequestState,
  suspensionRequestView,
} from './schemas';

const publicNoticeIssued = z.object({ caseId: z.string(), documentId: z.string(), number: z.string() });
const caseId = { id: 'the case id (contains slashes; URL-encode it or send it as is)' };

export function casesApi(s: Services) {
  const api = operations('cases');

  api.post(
    '/warnings',
    {
      summary:
        'Raise a risk warning (风险预警) for an enterprise; a second one for the same enterprise changes the open warning’s level and answers with its id',
      roles: ['regulator', 'admin'],
      body: raiseWarningForm,
      responses: { 201: { description: 'the warning', schema: openedCase } },
    },
    (req, _res, input) => s.warnings.raise(req.principal!, input.body(), req.ip),
  );

  api.get(
    '/cases',
    {
      summary: 'Cases in your jurisdiction',
      query: caseQuery,
      responses: { 200: { description: 'cases, without their timelines', schema: z.array(caseSummary) } },
    },
    (req, _res, input) => s.cases.list(req.principal!, input.query()),
  );
  api.post(
    '/cases/{id}/level',
    {
      summary: 'Change a warning’s level (升级/降级) or clear it (消警); attributed to the caller',
      route: /^\/cases\/(.+)\/level$/,
      params: caseId,
      body: levelChangeForm,
      responses: { 200: { description: 'the warning after the change', schema: riskWarningState } },
    },
    (req, _res, input) =>
      s.cases.changeLevel(req.principal!, decodeURIComponent(String(req.params[0])), input.body(), req.ip),
  );
  api.post(
    '/cases/{id}/feedback',
    {
      summary: 'The enterprise’s feedback (核查反馈) on a warning; accidentFound turns it into an emergency response',
      description: 'attachments: ids of uploads of the case’s enterprise (POST /uploads).',
      route: /^\/cases\/(.+)\/feedback$/,
      params: caseId,
      body: warningFeedbackWithAttachmentsForm,
      responses: { 200: { description: 'the warning after the feedback', schema: riskWarningState } },
    },
    (req, _res, input) =>
      s.cases.feedback(req.principal!, decodeURIComponent(String(req.params[0])), input.body(), req.ip),
  );
  api.post(
    '/cases/{id}/policy-version',
    {
      summary:
        'Administrators: migrate a running warning to another stored escalation-policy version; its clocks are re-planned from the current level’s start',
      route: /^\/cases\/(.+)\/policy-version$/,
      params: caseId,
      body: policyMigrationForm,
      responses: { 200: { description: 'the warning under its new policy version', schema: riskWarningState } },
    },
    (req, _res, input) =>
      s.cases.migratePolicy(req.principal!, decodeURIComponent(String(req.params[0])), input.body(), req.ip),
  );
  api.get(
    '/cases/{id}',
    {
      summary: 'One case with its deadlines and timeline',
      route: /^\/cases\/(.+)$/,
      params: caseId,
      responses: { 200: { description: 'the case', schema: caseView } },
    },
    (req) => s.cases.get(req.principal!, decodeURIComponent(String(req.params[0]))),
  );

  api.post(
    '/alarms/{deviceCode}/{indicator}/disposal',
    {
      summary: 'File the disposal (处置反馈) of the open monitoring alarm of a device indicator (enterprise user)',
      roles: ['enterprise'],
      params: { deviceCode: 'the device', indicator: 'the indicator code of the device' },
      body: alarmDisposalForm,
      responses: { 200: { description: 'the alarm after the disposal', schema: monitoringAlarmState } },
    },
    (req, _res, input) =>
      s.alarms.fileDisposal(
        req.principal!,
        String(req.params.deviceCode),
        String(req.params.indicator),
        input.body(),
        req.ip,
      ),
  );
  versionedPolicy(api, '/alarm-policy', {
    form: alarmPolicyForm,
    current: () => s.alarms.currentPolicy(),
    store: (p, form, ip) => s.alarms.setPolicy(p, form, ip),
    inForce: 'The monitoring-alarm policy in force (debounce, deadband, disposal time, data-quality limits)',
    newVersion: 'A new version of the alarm policy (administrator); running cases keep theirs',
  });
  versionedPolicy(api, '/offline-policy', {
    form: offlinePolicyForm,
    current: () => s.alarms.currentOfflinePolicy(),
    store: (p, form, ip) => s.alarms.setOfflinePolicy(p, form, ip),
    inForce: 'The offline rules in force (missed intervals, interview steps, sweep interval)',
    newVersion: 'A new version of the offline rules (administrator); running offline cases keep theirs',
  });
  api.post(
    '/suspensions',
    {
      summary:
        'File a suspension request (停用申报) for devices or video channels of your enterprise (enterprise user)',
      roles: ['enterprise'],
      body: suspensionRequestForm,
      responses: { 201: { description: 'the request, under review', schema: z.object({ requestId: z.string() }) } },
    },
    (req, _res, input) => s.alarms.fileSuspension(req.principal!, input.body(), req.ip),
  );
  api.get(
    '/suspensions/{requestId}',
    {
      summary: 'A suspension request',
      route: /^\/suspensions\/(suspension\/[^/]+\/[^/]+)$/,
      params: { requestId: 'suspension/<enterpriseId>/<uuid> (slashes unescaped)' },
      responses: { 200: { description: 'the request', schema: suspensionRequestView } },
    },
    (req) => s.alarms.getSuspension(req.principal!, String(req.params[0])),
  );
  api.post(
    '/suspensions/{requestId}/decision',
    {
      summary: 'Approve or reject a suspension request (the reviewing agency’s regulator, or an administrator)',
      route: /^\/suspensions\/(suspension\/[^/]+\/[^/]+)\/decision$/,
      roles: ['regulator', 'admin'],
      params: { requestId: 'suspension/<enterpriseId>/<uuid> (slashes unescaped)' },
      body: suspensionDecisionForm,
      responses: { 200: { description: 'the request after the decision', schema: suspensionRequestState } },
    },
    (req, _res, input) => s.alarms.decideSuspension(req.principal!, String(req.params[0]), input.body(), req.ip),
  );

  api.get(
    '/documents',
    {
      summary:
        'Official documents (执法文书) of a case, oldest first; an enterprise user without caseId gets those addressed to its enterprise',
      query: z.object({
        caseId: z.string().optional().meta({ description: 'the case (required unless you are an enterprise user)' }),
      }),
      responses: { 200: { description: 'the documents', schema: z.array(documentView) } },
    },
    async (req) => {
      const caseId = typeof req.query.caseId === 'string' ? req.query.caseId.trim() : '';
      const docs = caseId
        ? await s.documents.forCase(req.principal!, caseId)
        : await s.documents.forMyEnterprise(req.principal!);
      if (!caseId && req.principal!.role !== 'enterprise')
        throw new HttpError(400, 'caseId: name the case whose documents to list', 'caseId');
      return docs.map((d) => ({ ...d, pdf: `/api/v1${d.pdf}` }));
    },
  );
  api.get(
    '/documents/{id}',
    {
      summary: 'The document as PDF',
      route: '/documents/:documentId',
      params: { id: 'the document id (URL-encoded; it contains slashes)' },
      responses: { 200: { description: 'the PDF', file: 'application/pdf' } },
    },
    async (req, res) => {
      const f = await s.documents.file(req.principal!, req.params.documentId as string, req.ip);
      res.type('application/pdf').attachment(f.filename).sendFile(f.path, { dotfiles: 'allow' }); // the documents folder lives under .data
    },
  );
  api.post(
    '/interviews',
    {
      summary:
        'Open an interview (约谈) of an enterprise in your jurisdiction; your agency interviews (an administrator names agencyId)',
      roles: ['regulator', 'admin'],
      body: openInterviewForm,
      responses: { 201: { description: 'the interview case', schema: openedCase } },
    },
    (req, _res, input) => s.enforcement.openInterview(req.principal!, input.body(), req.ip),
  );
  api.post(
    '/penalties',
    {
      summary:
        'Open a penalty case (行政处罚立案) against an enterprise in your jurisdiction; your agency acts (an administrator names agencyId)',
      roles: ['regulator', 'admin'],
      body: openPenaltyForm,
      responses: { 201: { description: 'the penalty case', schema: openedCase } },
    },
    (req, _res, input) => s.enforcement.openPenalty(req.principal!, input.body(), req.ip),
  );
  api.post(
    '/public-notices',
    {
      summary:
        'Issue a public notice (公开通报) of a serious breach (002 第二十五条: devices destroyed or switched off, power or network cut, offline without reason) on a case of an enterprise in your jurisdiction; your agency issues it (an administrator names agencyId)',
      roles: ['regulator', 'admin'],
      body: publicNoticeForm,
      responses: { 201: { description: 'the numbered document on the case', schema: publicNoticeIssued } },
    },
    (req, _res, input) => s.enforcement.issuePublicNotice(req.principal!, input.body(), req.ip),
  );
  return api.router;
}
