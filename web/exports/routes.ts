/**
 * GET /exports/<list>?<the page's filters>&format=xlsx|csv — the file of a list, for signed-in users within
 * their jurisdiction (the services decide it, as for the pages). Linked from the inbox, the spot check, the
 * dashboard (cases, alarms) and the administrator's report runs.
 */
import { Router, type Request } from 'express';
import { HttpError } from '../errors';
import { requireLogin, requirePageRole } from '../middleware/session';
import type { ExportService } from './service';
import { exportFormat, sendExport } from './writers';

export function exportRoutes(exports: ExportService): Router {
  const r = Router();
  const query = (req: Request) => req.query as Record<string, unknown>;
  r.get('/exports/inbox', requireLogin, async (req, res) => {
    const format = exportFormat(query(req));
    await sendExport(res, format, await exports.inbox(req.principal!, query(req), req.ip));
  });
  r.get('/exports/spot-check', requirePageRole('regulator', 'admin'), async (req, res) => {
    const format = exportFormat(query(req));
    await sendExport(res, format, await exports.spotCheck(req.principal!, query(req), req.ip));
  });
  r.get('/exports/cases', requirePageRole('regulator', 'admin'), async (req, res) => {
    const format = exportFormat(query(req));
    await sendExport(res, format, await exports.cases(req.principal!, query(req), req.ip));
  });
  r.get('/exports/report', requirePageRole('regulator', 'admin'), async (req, res) => {
    const format = exportFormat(query(req));
    const id = req.query.id;
    if (typeof id !== 'string' || !id) throw new HttpError(400, 'id: the report to export is required', 'id');
    await sendExport(res, format, await exports.report(req.principal!, id, req.ip));
  });
  return r;
}
