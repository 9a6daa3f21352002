import { Router } from 'express';
import type { Principal } from '../../domain/access';
import { HttpError, toHttpError } from '../errors';
import { checkCsrf, requireLogin, requirePageRole } from '../middleware/session';
import type { PortalService } from '../tasks/inbox';
import type { AlarmService } from '../cases/alarms';
import type { PortalKeyService } from './keys';
import { SUSPENSION_REASONS } from '../../domain/offline';
import type { createPortalFormService } from './cleaning';
import { beijingInstant } from '../forms';
import { parseMultipart, UploadService } from './uploads';
import type { DocumentService } from '../cases/documents';
import type { CleaningComplianceService } from './cleaningCompliance';

export interface PortalDeps {
  portal: PortalService;
  portalForms: ReturnType<typeof createPortalFormService>;
  uploads: UploadService;
  alarms: AlarmService;
  portalKeys: PortalKeyService;
  /** Official documents addressed to my enterprise (通知书、指令书、决定书). */
  documents: Pick<DocumentService, 'forMyEnterprise'>;
  /** My cleaning plan's items with this period's check-ins (清扫计划执行情况). */
  cleaningCompliance: CleaningComplianceService;
}

/** The enterprise portal: what awaits me, my level, cleaning check-in with photo; uploads served by jurisdiction. */
export function portalRoutes(d: PortalDeps): Router {
  const r = Router();
  r.get('/portal', requirePageRole('enterprise'), async (req, res) => {
    res.render('pages/portal/home', {
      ...(await d.portal.portalHome(req.principal!)),
      documents: await d.documents.forMyEnterprise(req.principal!, 20),
    });
  });
  /** The cleaning page: the check-in form, my plan's compliance this period, my latest check-ins. */
  const cleaningPage = async (p: Principal) => ({
    ...(await d.portal.portalHome(p)),
    compliance: await d.cleaningCompliance.forMyEnterprise(p),
  });
  r.get('/portal/cleaning', requirePageRole('enterprise'), async (req, res) => {
    res.render('pages/portal/cleaning', { ...(await cleaningPage(req.principal!)), done: req.query.done });
  });
  r.post('/portal/cleaning', requirePageRole('enterprise'), async (req, res, next) => {
    const p = req.principal!;
    let fields: Record<string, string> = {};
    try {
      const isMultipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
      const parsed = isMultipart ? await parseMultipart(req) : { fields: req.body as Record<string, string> };
      fields = parsed.fields;
      if (isMultipart) checkCsrf(req, fields._csrf);
      let photoId: string | undefined;
      const file = 'file' in parsed ? parsed.file : undefined;
      if (file) {
        const { cleaningCheckInForm } = await import('./cleaning');
        const ok = cleaningCheckInForm.safeParse(fields); // validate before storing anything
        if (ok.success) photoId = (await d.uploads.store(p, p.enterpriseId!, file)).id;
      }
      await d.portalForms.checkIn(p, fields, photoId, req.ip);
      res.redirect(303, '/portal/cleaning?done=1');
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.status === 403) return next(err);
      res.status(e.status).render('pages/portal/cleaning', {
        ...(await cleaningPage(p)),
        error: e.message,
        field: e.field,
        form: fields,
      });
    }
  });
  r.get('/portal/suspension', requirePageRole('enterprise'), async (req, res) => {
    res.render('pages/portal/suspension', {
      ...(await d.portal.portalDevices(req.principal!)),
      reasons: SUSPENSION_REASONS,
      done: req.query.done,
    });
  });
  r.post('/portal/suspension', requirePageRole('enterprise'), async (req, res, next) => {
    const b = req.body as Record<string, unknown>;
    const form = {
      deviceCodes: b.deviceCodes === undefined ? [] : ([] as unknown[]).concat(b.deviceCodes),
      channelIds: b.channelIds === undefined ? [] : ([] as unknown[]).concat(b.channelIds),
      reason: b.reason,
      detail: b.detail || undefined,
      from: beijingInstant(b.from),
      to: beijingInstant(b.to),
    };
    try {
      const { suspensionRequestForm } = await import('../cases/alarms');
      const parsed = suspensionRequestForm.safeParse(form);
      if (!parsed.success) throw parsed.error;
      const { requestId } = await d.alarms.fileSuspension(req.principal!, parsed.data, req.ip);
      res.redirect(303, `/portal/suspension?done=${encodeURIComponent(requestId)}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.status === 403) return next(err);
      res.status(e.status).render('pages/portal/suspension', {
        ...(await d.portal.portalDevices(req.principal!)),
        reasons: SUSPENSION_REASONS,
        error: e.message,
        field: e.field,
        form: b,
      });
    }
  });
  r.get('/portal/config', requirePageRole('enterprise'), async (req, res) => {
    res.render('pages/portal/config', await d.portalKeys.configuration(req.principal!));
  });
  r.post('/portal/keys', requirePageRole('enterprise'), async (req, res) => {
    const issued = await d.portalKeys.issueKey(req.principal!, req.ip);
    res
      .set('Cache-Control', 'no-store')
      .render('pages/portal/config', { ...(await d.portalKeys.configuration(req.principal!)), issued });
  });
  r.post('/portal/keys/:keyId/revoke', requirePageRole('enterprise'), async (req, res) => {
    await d.portalKeys.revokeKey(req.principal!, req.params.keyId as string, req.ip);
    res.redirect(303, '/portal/config');
  });
  r.get('/uploads/:id', requireLogin, async (req, res) => {
    const { meta, path } = await d.uploads.open(req.principal!, req.params.id as string);
    if (!meta) throw new HttpError(404, 'no upload');
    res
      .set('Content-Type', meta.type)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Content-Disposition', `inline; filename="${encodeURIComponent(meta.name)}"`);
    res.sendFile(path, { dotfiles: 'allow' }); // the uploads folder lives under .data
  });
  return r;
}
