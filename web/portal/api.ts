/**
 * Uploads through the API (after `bearerAuth`): `POST /api/v1/uploads` (multipart, one `file`: JPEG, PNG
 * or PDF by content, ≤ 5 MB) by an enterprise user, stored for its enterprise → 201 {id, type, name, size};
 * the id is then named in a warning feedback's `attachments`.
 */
import { Router } from 'express';
import { HttpError } from '../errors';
import { parseMultipart } from './uploads';
import type { Services } from '../composition';

export function uploadsApi(s: Services): Router {
  const r = Router();
  r.post('/uploads', async (req, res) => {
    const p = req.principal!;
    if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'only a user of an enterprise may upload its files');
    if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) throw new HttpError(400, 'file: send multipart/form-data with one file field', 'file');
    const parsed = await parseMultipart(req);
    if (!parsed.file) throw new HttpError(400, 'file: no file in the form', 'file');
    const meta = await s.uploads.store(p, p.enterpriseId, { ...parsed.file, field: 'file' });
    await s.audit.record(p.username, 'upload.store', meta.id, { enterpriseId: p.enterpriseId, type: meta.type, size: meta.size, via: 'api' }, req.ip);
    res.status(201).json({ id: meta.id, type: meta.type, name: meta.name, size: meta.size });
  });
  return r;
}
