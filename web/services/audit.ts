/** The audit trail: who did what to which thing, when, from where. Append-only. */
import type { Models } from '../../models';

export function createAuditService(deps: { models: Pick<Models, 'AuditEntry'> }) {
  return {
    async record(actor: string, action: string, target?: string, detail?: Record<string, unknown>, ip?: string): Promise<void> {
      await deps.models.AuditEntry.create({ at: new Date(), actor, action, target, detail, ip });
    },
    async search(q: { actor?: string; target?: string; action?: string; limit?: number }) {
      const filter: Record<string, unknown> = {};
      if (q.actor) filter.actor = q.actor;
      if (q.target) filter.target = q.target;
      if (q.action) filter.action = q.action;
      return deps.models.AuditEntry.find(filter).sort({ at: -1 }).limit(Math.min(q.limit ?? 100, 500)).lean();
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
