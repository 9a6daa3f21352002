import { Request, Response, Router } from 'express';
import type { HttpError } from '../errors';
import { requirePageRole } from '../middleware/session';
import type { PortalConfigService } from './config';
import { formPost } from '../admin/routes';
import { fillsFromCatalogue } from '../masterData/catalogueForm';

type Body = Record<string, unknown>;
const body = (req: Request) => (req.body ?? {}) as Body;
const enc = encodeURIComponent;
const saved = (req: Request) => (typeof req.query.saved === 'string' ? req.query.saved.slice(0, 40) : undefined);

/**
 * The enterprise's own configuration forms (the overview `/portal/config` with key rotation is in
 * ./routes.ts): enterprise data, devices with indicators, cleaning plan. Saved → the form
 * again with a flash; a refusal (400/409) → the form with that status, the field named, input kept.
 */
export function portalConfigRoutes(d: { portalConfig: PortalConfigService }): Router {
  const r = Router();
  const ent = requirePageRole('enterprise');
  const s = d.portalConfig;

  r.get('/portal/config/enterprise', ent, async (req, res) =>
    res.render('pages/portal/configEnterprise', { ...(await s.enterpriseForm(req.principal!)), saved: saved(req) }),
  );
  r.post(
    '/portal/config/enterprise',
    ent,
    formPost(
      async (req) => {
        await s.saveEnterprise(req.principal!, body(req), req.ip);
        return '/portal/config/enterprise?saved=1';
      },
      async (req, res, err) =>
        res.render('pages/portal/configEnterprise', await s.enterpriseForm(req.principal!, body(req), err)),
    ),
  );

  const deviceAgain = (id?: string) => async (req: Request, res: Response, err: HttpError) =>
    res.render('pages/portal/configDevice', await s.deviceForm(req.principal!, id, body(req), err));
  /** 从目录填入: the form again with the picked rows filled, nothing saved. */
  const deviceFilled = (id?: string) => ({
    when: (req: Request) => fillsFromCatalogue(body(req)),
    render: async (req: Request, res: Response) =>
      res.render('pages/portal/configDevice', await s.deviceForm(req.principal!, id, body(req))),
  });
  r.get('/portal/config/devices/new', ent, async (req, res) =>
    res.render('pages/portal/configDevice', await s.deviceForm(req.principal!)),
  );
  r.post(
    '/portal/config/devices',
    ent,
    formPost(
      async (req) =>
        `/portal/config/devices/${enc(await s.saveDevice(req.principal!, undefined, body(req), req.ip))}?saved=1`,
      deviceAgain(),
      deviceFilled(),
    ),
  );
  r.get('/portal/config/devices/:id', ent, async (req, res) =>
    res.render('pages/portal/configDevice', {
      ...(await s.deviceForm(req.principal!, req.params.id as string)),
      saved: saved(req),
    }),
  );
  r.post('/portal/config/devices/:id', ent, (req, res, next) =>
    formPost(
      async () =>
        `/portal/config/devices/${enc(await s.saveDevice(req.principal!, req.params.id as string, body(req), req.ip))}?saved=1`,
      deviceAgain(req.params.id as string),
      deviceFilled(req.params.id as string),
    )(req, res, next),
  );
  for (const [action, inService] of [
    ['retire', false],
    ['reactivate', true],
  ] as const) {
    r.post(`/portal/config/devices/:id/${action}`, ent, (req, res, next) =>
      formPost(
        async () => {
          await s.setDeviceInService(req.principal!, req.params.id as string, inService, req.ip);
          return `/portal/config/devices/${enc(req.params.id as string)}?saved=${action}`;
        },
        async (rq, rs, err) =>
          rs.render(
            'pages/portal/configDevice',
            await s.deviceForm(rq.principal!, rq.params.id as string, undefined, err),
          ),
      )(req, res, next),
    );
  }

  r.get('/portal/config/cleaning-plan', ent, async (req, res) =>
    res.render('pages/portal/configCleaningPlan', { ...(await s.cleaningPlanForm(req.principal!)), saved: saved(req) }),
  );
  r.post(
    '/portal/config/cleaning-plan',
    ent,
    formPost(
      async (req) => {
        await s.saveCleaningPlan(req.principal!, body(req), req.ip);
        return '/portal/config/cleaning-plan?saved=1';
      },
      async (req, res, err) =>
        res.render('pages/portal/configCleaningPlan', await s.cleaningPlanForm(req.principal!, body(req), err)),
    ),
  );
  return r;
}
