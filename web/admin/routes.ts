import { NextFunction, Request, Response, Router } from 'express';
import { HttpError, toHttpError } from '../errors';
import { requirePageRole } from '../middleware/session';
import { beijingDayStartOf, DAY_MS } from '../../domain/time';
import type { AdminMasterDataService, MasterForm } from '../masterData/pages';
import { MASTER_FORMS } from '../masterData/pages';
import { fillsFromCatalogue } from '../masterData/catalogueForm';
import type { AdminPolicyService } from './policyPages';
import type { AdminReportService } from '../reports/pages';
import type { AuditService } from '../access/audit';
import type { OutboxService } from './outbox';
import type { AdminListService } from '../masterData/lists';

export interface AdminDeps {
  audit: AuditService;
  outbox: OutboxService;
  adminLists: AdminListService;
  adminMasterData: AdminMasterDataService;
  adminPolicies: AdminPolicyService;
  adminReports: AdminReportService;
}

/** The template of each master-data form. */
const FORM_TEMPLATE: Record<MasterForm, string> = {
  users: 'pages/admin/user',
  agencies: 'pages/admin/agency',
  regions: 'pages/admin/region',
  enterprises: 'pages/admin/enterprise',
};

type Body = Record<string, unknown>;
const body = (req: Request) => (req.body ?? {}) as Body;
const q = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 200) : undefined);
const enc = encodeURIComponent;

/** The page's language (set by languageMiddleware). */
const langOf = (res: Response) => res.locals.lang as string;

/**
 * A form post: `save` then redirect; a refusal the user can fix (400, 409) renders the form again
 * with that status, the message naming the field, and what was typed; anything else is the error page.
 */
export function formPost(
  save: (req: Request) => Promise<string>,
  again: (req: Request, res: Response, err: HttpError) => Promise<unknown>,
  /** A post that only shows the form again (200, nothing saved), e.g. a device form's 从目录填入. */
  redisplay?: { when: (req: Request) => boolean; render: (req: Request, res: Response) => Promise<unknown> },
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (redisplay?.when(req)) return void (await redisplay.render(req, res));
      res.redirect(303, await save(req));
    } catch (err) {
      const e = toHttpError(err);
      if (e.status !== 400 && e.status !== 409) return next(err);
      res.status(e.status);
      await again(req, res, e);
    }
  };
}

/** Administration pages: index, audit search, outbox, master-data lists and forms, escalation ladder, report rules, enforcement clocks, offline rules, reports. */
export function adminRoutes(d: AdminDeps): Router {
  const r = Router();
  const admin = requirePageRole('admin');
  const md = d.adminMasterData;
  r.get('/admin', admin, (_req, res) => res.render('pages/admin/index', {}));
  // The audit trail, newest first, paged by position through the whole history under the filters.
  r.get('/admin/audit', admin, async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
    const day = (v: unknown, field: string, plusDays = 0) => {
      const s = str(v);
      if (!s) return undefined;
      const start = beijingDayStartOf(s);
      if (start === undefined) throw new HttpError(400, `${field}: a date YYYY-MM-DD`, field);
      return new Date(start + plusDays * DAY_MS);
    };
    const before = /^\d{1,15}$/.test(q.before ?? '') ? Number(q.before) : undefined;
    const filters = {
      actor: str(q.actor),
      target: str(q.target),
      action: str(q.action),
      from: str(q.from),
      to: str(q.to),
    };
    const page = await d.audit.search({
      actor: filters.actor,
      target: filters.target,
      action: filters.action,
      from: day(q.from, 'from'),
      to: day(q.to, 'to', 1),
      before,
    });
    const nextParams = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
    if (page.next) nextParams.set('before', String(page.next));
    res.render('pages/admin/audit', {
      entries: page.entries,
      query: q,
      nextUrl: page.next ? `/admin/audit?${nextParams.toString()}` : undefined,
    });
  });
  r.get('/admin/audit/verify', admin, async (_req, res) =>
    res.render('pages/admin/auditVerify', { result: await d.audit.verify() }),
  );
  r.get('/admin/outbox', admin, async (_req, res) =>
    res.render('pages/outbox', { deliveries: await d.outbox.deliveries() }),
  );
  r.get('/admin/lists/:kind', admin, async (req, res) => {
    const list = await d.adminLists.list(
      req.principal!,
      req.params.kind as string,
      typeof req.query.after === 'string' ? req.query.after : undefined,
    );
    res.render('pages/admin/list', {
      ...list,
      editable: (MASTER_FORMS as readonly string[]).includes(list.kind),
      saved: q(req.query.saved),
    });
  });

  // Master data: /admin/<kind>/new, /admin/<kind>/<id>; saved → the list with a flash.
  for (const kind of MASTER_FORMS) {
    const tpl = FORM_TEMPLATE[kind];
    const again = (id?: string) => async (req: Request, res: Response, err: HttpError) =>
      res.render(tpl, await md.formPage(req.principal!, kind, id, body(req), err));
    r.get(`/admin/${kind}/new`, admin, async (req, res) => res.render(tpl, await md.formPage(req.principal!, kind)));
    r.get(`/admin/${kind}/:id`, admin, async (req, res) =>
      res.render(tpl, {
        ...(await md.formPage(req.principal!, kind, req.params.id as string)),
        saved: q(req.query.saved),
      }),
    );
    r.post(
      `/admin/${kind}`,
      admin,
      formPost(
        async (req) =>
          `/admin/lists/${kind}?saved=${enc(await md.save(req.principal!, kind, undefined, body(req), req.ip))}`,
        again(),
      ),
    );
    r.post(`/admin/${kind}/:id`, admin, (req, res, next) =>
      formPost(
        async () =>
          `/admin/lists/${kind}?saved=${enc(await md.save(req.principal!, kind, req.params.id as string, body(req), req.ip))}`,
        again(req.params.id as string),
      )(req, res, next),
    );
  }
  // Users: reset password, deactivate, reactivate (the edit page shows the refusal).
  const userAgain = async (req: Request, res: Response, err: HttpError) =>
    res.render(
      FORM_TEMPLATE.users,
      await md.formPage(req.principal!, 'users', req.params.id as string, undefined, err),
    );
  r.post(
    '/admin/users/:id/password',
    admin,
    formPost(async (req) => {
      await md.resetPassword(req.principal!, req.params.id as string, body(req), req.ip);
      return `/admin/users/${enc(req.params.id as string)}?saved=password`;
    }, userAgain),
  );
  for (const [action, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    r.post(
      `/admin/users/:id/${action}`,
      admin,
      formPost(async (req) => {
        await md.setActive(req.principal!, req.params.id as string, active, req.ip);
        return `/admin/lists/users?saved=${enc(req.params.id as string)}`;
      }, userAgain),
    );
  }

  // Devices of an enterprise, with their indicators.
  r.get('/admin/enterprises/:id/devices', admin, async (req, res) =>
    res.render('pages/admin/devices', {
      ...(await md.devicesPage(req.principal!, req.params.id as string)),
      saved: q(req.query.saved),
    }),
  );
  r.get('/admin/enterprises/:id/devices/new', admin, async (req, res) =>
    res.render('pages/admin/device', await md.deviceForm(req.principal!, { enterpriseId: req.params.id as string })),
  );
  r.get('/admin/devices/:id', admin, async (req, res) =>
    res.render('pages/admin/device', await md.deviceForm(req.principal!, { deviceId: req.params.id as string })),
  );
  const saveDevice = (ref: (req: Request) => { enterpriseId?: string; deviceId?: string }) =>
    formPost(
      async (req) => {
        const saved = await md.saveDevice(req.principal!, ref(req), body(req), req.ip);
        return `/admin/enterprises/${enc(saved.enterpriseId)}/devices?saved=${enc(saved.deviceId)}`;
      },
      async (req, res, err) =>
        res.render('pages/admin/device', await md.deviceForm(req.principal!, ref(req), body(req), err)),
      {
        when: (req) => fillsFromCatalogue(body(req)),
        render: async (req, res) =>
          res.render('pages/admin/device', await md.deviceForm(req.principal!, ref(req), body(req))),
      },
    );
  r.post(
    '/admin/enterprises/:id/devices',
    admin,
    saveDevice((req) => ({ enterpriseId: req.params.id as string })),
  );
  r.post(
    '/admin/devices/:id',
    admin,
    saveDevice((req) => ({ deviceId: req.params.id as string })),
  );

  // The cleaning plan of an enterprise.
  r.get('/admin/enterprises/:id/cleaning-plan', admin, async (req, res) =>
    res.render('pages/admin/cleaningPlan', await md.cleaningPlanForm(req.principal!, req.params.id as string)),
  );
  r.post(
    '/admin/enterprises/:id/cleaning-plan',
    admin,
    formPost(
      async (req) => {
        await md.saveCleaningPlan(req.principal!, req.params.id as string, body(req), req.ip);
        return `/admin/lists/enterprises?saved=${enc(req.params.id as string)}`;
      },
      async (req, res, err) =>
        res.render(
          'pages/admin/cleaningPlan',
          await md.cleaningPlanForm(req.principal!, req.params.id as string, body(req), err),
        ),
    ),
  );

  // Escalation ladder, report rules, enforcement clocks, offline rules: versions; an edit is a new version.
  const version = (v: unknown) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : undefined);
  r.get('/admin/policies/escalation', admin, async (req, res) =>
    res.render('pages/admin/escalation', {
      ...(await d.adminPolicies.escalationPage(req.principal!, langOf(res), { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/escalation',
    admin,
    formPost(
      async (req) =>
        `/admin/policies/escalation?saved=${await d.adminPolicies.saveEscalation(req.principal!, body(req), req.ip)}`,
      async (req, res, err) =>
        res.render(
          'pages/admin/escalation',
          await d.adminPolicies.escalationPage(req.principal!, langOf(res), { typed: body(req), err }),
        ),
    ),
  );
  r.get('/admin/policies/report-rules', admin, async (req, res) =>
    res.render('pages/admin/reportRules', {
      ...(await d.adminPolicies.reportRulesPage(req.principal!, { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/report-rules',
    admin,
    formPost(
      async (req) =>
        `/admin/policies/report-rules?saved=${await d.adminPolicies.saveReportRules(req.principal!, body(req), req.ip)}`,
      async (req, res, err) =>
        res.render(
          'pages/admin/reportRules',
          await d.adminPolicies.reportRulesPage(req.principal!, { typed: body(req), err }),
        ),
    ),
  );

  r.get('/admin/policies/enforcement', admin, async (req, res) =>
    res.render('pages/admin/enforcement', {
      ...(await d.adminPolicies.enforcementPage(req.principal!, langOf(res), { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/enforcement',
    admin,
    formPost(
      async (req) =>
        `/admin/policies/enforcement?saved=${await d.adminPolicies.saveEnforcement(req.principal!, body(req), req.ip)}`,
      async (req, res, err) =>
        res.render(
          'pages/admin/enforcement',
          await d.adminPolicies.enforcementPage(req.principal!, langOf(res), { typed: body(req), err }),
        ),
    ),
  );

  r.get('/admin/policies/offline', admin, async (req, res) =>
    res.render('pages/admin/offline', {
      ...(await d.adminPolicies.offlinePage(req.principal!, langOf(res), { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/offline',
    admin,
    formPost(
      async (req) =>
        `/admin/policies/offline?saved=${await d.adminPolicies.saveOffline(req.principal!, body(req), req.ip)}`,
      async (req, res, err) =>
        res.render(
          'pages/admin/offline',
          await d.adminPolicies.offlinePage(req.principal!, langOf(res), { typed: body(req), err }),
        ),
    ),
  );

  r.get('/admin/policies/alarms', admin, async (req, res) =>
    res.render('pages/admin/alarmPolicy', {
      ...(await d.adminPolicies.alarmPage(req.principal!, langOf(res), { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/alarms',
    admin,
    formPost(
      async (req) =>
        `/admin/policies/alarms?saved=${await d.adminPolicies.saveAlarm(req.principal!, body(req), req.ip)}`,
      async (req, res, err) =>
        res.render(
          'pages/admin/alarmPolicy',
          await d.adminPolicies.alarmPage(req.principal!, langOf(res), { typed: body(req), err }),
        ),
    ),
  );

  // Reports: runs with progress, run a past period (409 → offer a re-run), PDF.
  r.get('/admin/reports', admin, async (req, res) =>
    res.render('pages/admin/reports', await d.adminReports.page(req.principal!, { started: q(req.query.started) })),
  );
  r.post(
    '/admin/reports',
    admin,
    formPost(
      async (req) => `/admin/reports?started=${enc(await d.adminReports.run(req.principal!, body(req), req.ip))}`,
      async (req, res, err) =>
        res.render('pages/admin/reports', await d.adminReports.page(req.principal!, { typed: body(req), err })),
    ),
  );
  r.get('/admin/reports/pdf', admin, async (req, res) => {
    const id = q(req.query.id);
    if (!id) throw new HttpError(400, 'id: which report?', 'id');
    const pdf = await d.adminReports.pdf(req.principal!, id);
    res.type('application/pdf').download(pdf.path, pdf.name, { dotfiles: 'allow' }); // under .data/
  });
  return r;
}
