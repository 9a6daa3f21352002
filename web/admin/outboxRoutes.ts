import { Router } from 'express';
import { HttpError } from '../errors';
import { requirePageRole } from '../middleware/session';
import type { OutboxService } from './outbox';

/**
 * What warnflow sent (recipients, subjects naming enterprises, whole bodies) and what the embedded
 * catcher received: administrators only; the mailbox only while the embedded catcher is in use.
 */
export function outboxRoutes(outbox: OutboxService): Router {
  const r = Router();
  const admin = requirePageRole('admin');
  r.get('/outbox', admin, async (_req, res) => {
    res.render('pages/outbox', { deliveries: await outbox.deliveries() });
  });
  r.get('/mailbox', admin, (_req, res) => {
    const messages = outbox.mailbox();
    if (!messages)
      throw new HttpError(404, 'no mailbox: mail goes to an external SMTP server (the embedded catcher is not in use)');
    res.render('pages/mailbox', { messages });
  });
  return r;
}
