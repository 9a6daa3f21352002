import { Router } from 'express';
import type { Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import { SERIOUS_BREACHES } from '../../domain/enforcement';
import { toHttpError } from '../errors';
import { requireLogin, requirePageRole } from '../middleware/session';
import { PERMIT_LEVEL_ZH, WORK_TYPE_ZH } from '../../domain/permits';
import type { PermitService } from '../permits/service';
import type { PortalService } from '../tasks/inbox';
import { levelChangeForm, type CaseService } from './cases';
import type { DocumentService } from './documents';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import type { CaseWorkflowService } from './workflowStatus';
import { openInterviewForm, openPenaltyForm, publicNoticeForm, type EnforcementService } from './enforcement';

export interface CasePageDeps {
  portal: Pick<PortalService, 'casePage'>;
  /** Level changes of a risk warning (upgrade, downgrade, clear 消警) by the tracking side. */
  cases: Pick<CaseService, 'changeLevel'>;
  /** Official documents on the case page, and their PDFs. */
  documents: DocumentService;
  /** Opening an interview or a penalty from a case page. */
  enforcement: EnforcementService;
  /** A monitoring alarm's page lists the enterprise's active special-work permits (issue 13). */
  permits?: Pick<PermitService, 'activeForEnterprise'>;
  /** An administrator's view of the case's workflow: status, Temporal UI link, disagreement with the record. */
  workflows?: Pick<CaseWorkflowService, 'forCase'>;
}

/** Case pages: the record, its level form, its documents, the follow-ups a regulator may open. */
export function caseRoutes(d: CasePageDeps): Router {
  const r = Router();
  // Case ids contain slashes (alarm/<device>/<indicator>): the rest of the path is the id.
  r.get(/^\/cases\/(.+)$/, requireLogin, async (req, res) => {
    const caseId = decodeURIComponent((req.params as unknown as string[])[0]);
    const page = await d.portal.casePage(req.principal!, caseId);
    res.render('pages/work/case', {
      ...page,
      ...(await caseExtras(req.principal!, page.record)),
      done: req.query.done,
    });
  });
  /** What the case page shows beside the record: level form, documents, follow-ups the user may open. */
  async function caseExtras(
    p: Principal,
    record: Pick<CaseRecordDoc, '_id' | 'type' | 'status' | 'enterpriseId' | 'closedAt'>,
  ) {
    const regulator = p.role !== 'enterprise';
    return {
      canChangeLevel: regulator && record.type === 'risk_warning' && record.status === 'open',
      levelChoices: [...LEVELS, 'clear'],
      seriousBreaches: SERIOUS_BREACHES,
      documents: await d.documents.forCase(p, record._id),
      canOpenFollowUp: p.role === 'regulator' && !!record.enterpriseId,
      workflow: await d.workflows?.forCase(p, record),
      activePermits:
        d.permits && record.type === 'monitoring_alarm' && record.enterpriseId
          ? (await d.permits.activeForEnterprise(p, record.enterpriseId)).map((v) => ({
              ...v,
              typeZh: WORK_TYPE_ZH[v.type],
              levelZh: PERMIT_LEVEL_ZH[v.managedLevel],
            }))
          : [],
    };
  }
  r.get('/documents/:documentId', requireLogin, async (req, res) => {
    const f = await d.documents.file(req.principal!, req.params.documentId as string, req.ip);
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
      .sendFile(f.path, { dotfiles: 'allow' }); // under .data
  });
  // 发起约谈 / 立案处罚 / 公开通报 from a case page: the regulator's own agency acts.
  r.post(/^\/cases\/(.+)\/(interview|penalty|public-notice)$/, requirePageRole('regulator'), async (req, res, next) => {
    const params = req.params as unknown as string[];
    const caseId = decodeURIComponent(params[0]);
    const kind = params[1] as 'interview' | 'penalty' | 'public-notice';
    const page = await d.portal.casePage(req.principal!, caseId);
    const body = req.body as Record<string, unknown>;
    try {
      const common = { enterpriseId: page.record.enterpriseId ?? '', parentCaseId: caseId };
      if (kind === 'public-notice') {
        const form = publicNoticeForm.parse({
          ...common,
          caseId,
          breach: body.breach || undefined,
          reason: body.reason,
        });
        await d.enforcement.issuePublicNotice(req.principal!, form, req.ip);
        return res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
      }
      const opened =
        kind === 'interview'
          ? await d.enforcement.openInterview(
              req.principal!,
              openInterviewForm.parse({ ...common, reason: body.reason, includeRegion: body.includeRegion === 'on' }),
              req.ip,
            )
          : await d.enforcement.openPenalty(
              req.principal!,
              openPenaltyForm.parse({ ...common, violation: body.violation }),
              req.ip,
            );
      res.redirect(303, `/cases/${encodeURIComponent(opened.caseId)}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) return next(err);
      res.status(e.status).render('pages/work/case', {
        ...page,
        ...(await caseExtras(req.principal!, page.record)),
        error: e.message,
        field: e.field,
        followUpForm: kind,
      });
    }
  });
  r.post(/^\/cases\/(.+)\/level$/, requirePageRole('regulator', 'admin'), async (req, res) => {
    const caseId = decodeURIComponent((req.params as unknown as string[])[0]);
    const parsed = levelChangeForm.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const page = await d.portal.casePage(req.principal!, caseId);
      res.status(400).render('pages/work/case', {
        ...page,
        ...(await caseExtras(req.principal!, page.record)),
        canChangeLevel: true,
        error: `${issue.path.join('.')}: ${issue.message}`,
        field: issue.path.join('.'),
      });
      return;
    }
    await d.cases.changeLevel(req.principal!, caseId, parsed.data, req.ip);
    res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
  });
  return r;
}
