import { Router } from 'express';
import type { OutboxService } from '../services/outbox';

export function outboxRoutes(outbox: OutboxService): Router {
  const r = Router();
  r.get('/outbox', async (_req, res) => {
    res.render('pages/outbox', { deliveries: await outbox.deliveries() });
  });
  r.get('/mailbox', (_req, res) => {
    res.render('pages/mailbox', { messages: outbox.mailbox() });
  });
  return r;
}
