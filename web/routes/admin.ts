import { Router } from 'express';
import { requirePageRole } from '../middleware/session';
import type { AuditService } from '../services/audit';
import type { OutboxService } from '../services/outbox';
import type { AdminListService } from '../services/portalAdmin';

/** Administration pages: index, audit search, outbox. (Master-data forms come with the masterdata service.) */
export function adminRoutes(d: { audit: AuditService; outbox: OutboxService; adminLists: AdminListService }): Router {
  const r = Router();
  const admin = requirePageRole('admin');
  r.get('/admin', admin, (_req, res) => res.render('pages/admin/index', {}));
  r.get('/admin/audit', admin, async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
    const entries = await d.audit.search({ actor: str(q.actor), target: str(q.target), action: str(q.action), limit: 200 });
    res.render('pages/admin/audit', { entries, query: q });
  });
  r.get('/admin/outbox', admin, async (_req, res) => res.render('pages/outbox', { deliveries: await d.outbox.deliveries() }));
  r.get('/admin/lists/:kind', admin, async (req, res) => {
    res.render('pages/admin/list', await d.adminLists.list(req.principal!, req.params.kind as string, typeof req.query.after === 'string' ? req.query.after : undefined));
  });
  return r;
}
