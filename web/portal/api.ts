/**
 * Uploads through the API (after `bearerAuth`): one photo or PDF by an enterprise user, stored for its
 * enterprise; the id is then named in a warning feedback's `attachments`.
 */
import { z } from 'zod';
import { HttpError } from '../errors';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import { MAX_UPLOAD_BYTES, parseMultipart, UPLOAD_TYPES } from './uploads';

export const uploadView = z.object({
  id: z.string(),
  type: z.enum(Object.keys(UPLOAD_TYPES) as [keyof typeof UPLOAD_TYPES]),
  name: z.string(),
  size: z.number().int(),
});

export function portalApi(s: Services) {
  const api = operations('portal');
  api.post(
    '/uploads',
    {
      summary: 'Enterprise users: upload one photo or PDF for a warning feedback’s attachments',
      upload: {
        field: 'file',
        description: `JPEG, PNG or PDF by content, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
      },
      responses: { 201: { description: 'the stored upload', schema: uploadView } },
    },
    async (req) => {
      const p = req.principal!;
      if (p.role !== 'enterprise' || !p.enterpriseId)
        throw new HttpError(403, 'only a user of an enterprise may upload its files');
      if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data'))
        throw new HttpError(400, 'file: send multipart/form-data with one file field', 'file');
      const parsed = await parseMultipart(req);
      if (!parsed.file) throw new HttpError(400, 'file: no file in the form', 'file');
      const meta = await s.uploads.store(p, p.enterpriseId, { ...parsed.file, field: 'file' });
      await s.audit.record(
        p.username,
        'upload.store',
        meta.id,
        { enterpriseId: p.enterpriseId, type: meta.type, size: meta.size, via: 'api' },
        req.ip,
      );
      return { id: meta.id, type: meta.type, name: meta.name, size: meta.size };
    },
  );
  return api.router;
}
