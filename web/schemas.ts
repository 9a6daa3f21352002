/** Building blocks of the payload schemas (zod), one definition each: every area's schemas use these. */
import { z } from 'zod';

/** A required text, trimmed, of at most `max` characters. */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An instant as any date-time `Date.parse` reads (an offset, or a page's Beijing time made explicit by `beijingInstant`). */
export const instant = z
  .string()
  .trim()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 instant')
  .meta({ format: 'date-time' });

/** A yes/no answer. */
export const flag = z.boolean({ error: 'must be true or false' });

/** An instant in a response (JSON carries dates as ISO-8601 strings). */
export const timestamp = z.string().meta({ format: 'date-time' });

/** A case a request opened (or found open): its id, which contains slashes. */
export const openedCase = z.object({ caseId: z.string() });
