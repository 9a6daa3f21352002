/**
 * Official documents (after `bearerAuth`): `GET /api/v1/documents?caseId=` (a case's documents; an
 * enterprise user without caseId gets those addressed to it) and `GET /api/v1/documents/{id}` (the PDF).
 * Opening follow-ups: `POST /api/v1/interviews`, `POST /api/v1/penalties` → 201 {caseId}.
 */
import { Router } from 'express';
import { fromZod, HttpError } from '../errors';
import { openInterviewForm, openPenaltyForm } from './enforcement';
import { requireRole } from '../access/auth';
import type { Services } from '../composition';

export function documentsApi(s: Services): Router {
  const r = Router();
  r.get('/documents', async (req, res) => {
    const caseId = typeof req.query.caseId === 'string' ? req.query.caseId.trim() : '';
    const docs = caseId ? await s.documents.forCase(req.principal!, caseId) : await s.documents.forMyEnterprise(req.principal!);
    if (!caseId && req.principal!.role !== 'enterprise') throw new HttpError(400, 'caseId: name the case whose documents to list', 'caseId');
    res.json(docs.map((d) => ({ ...d, pdf: `/api/v1${d.pdf}` })));
  });
  r.get('/documents/:documentId', async (req, res) => {
    const f = await s.documents.file(req.principal!, req.params.documentId as string, req.ip);
    res.type('application/pdf').attachment(f.filename).sendFile(f.path, { dotfiles: 'allow' }); // the documents folder lives under .data
  });
  r.post('/interviews', requireRole('regulator', 'admin'), async (req, res) => {
    const parsed = openInterviewForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.enforcement.openInterview(req.principal!, parsed.data, req.ip));
  });
  r.post('/penalties', requireRole('regulator', 'admin'), async (req, res) => {
    const parsed = openPenaltyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.enforcement.openPenalty(req.principal!, parsed.data, req.ip));
  });
  return r;
}
