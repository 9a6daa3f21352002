/** Enterprise portal forms that are the web's own: the dust-cleaning check-in (粉尘清扫打卡). */
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';

export const cleaningCheckInForm = z.object({
  item: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  person: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  at: z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date and time'),
});

export function createPortalFormService(deps: { models: Models; audit: AuditService }) {
  const { models, audit } = deps;
  return {
    async checkIn(p: Principal, form: unknown, photoId?: string, ip?: string) {
      if (p.role !== 'enterprise' || !p.enterpriseId)
        throw new HttpError(403, 'only a user of the enterprise may check in cleaning');
      const parsed = cleaningCheckInForm.safeParse(form);
      if (!parsed.success) throw fromZod(parsed.error);
      const at = new Date(parsed.data.at);
      if (at.getTime() > Date.now() + 5 * 60_000) throw new HttpError(400, 'at: must not be in the future', 'at');
      const doc = await models.CleaningCheckIn.create({
        enterpriseId: p.enterpriseId,
        item: parsed.data.item,
        person: parsed.data.person,
        at,
        photoId,
        createdBy: p.username,
        createdAt: new Date(),
      });
      await audit.record(p.username, 'cleaning.check_in', p.enterpriseId, { item: parsed.data.item, photoId }, ip);
      return doc;
    },
  };
}
