/** The outbox (what warnflow sent, from deliveries) and the embedded catcher's mailbox (what arrived). */
import { readMailbox } from '../../lib/mailbox';
import type { Models } from '../../models';

export function createOutboxService(deps: { models: Models; mailboxDir?: string }) {
  return {
    async deliveries(limit = 100) {
      return deps.models.Delivery.find().sort({ createdAt: -1 }).limit(limit).lean();
    },
    mailbox(limit = 100) {
      return deps.mailboxDir ? readMailbox(deps.mailboxDir).slice(0, limit) : undefined;
    },
  };
}
export type OutboxService = ReturnType<typeof createOutboxService>;
