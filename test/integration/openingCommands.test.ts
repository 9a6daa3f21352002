/**
 * What a case opening writes, counted in MongoDB commands (issue 15: in a storm every command is a socket write in
 * the worker and a commit in the database): opening a case, a timeline step with its change and a mail are one
 * command each in the common case, and a retry of any of them still changes nothing twice.
 */
import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { createCaseRecordActivities } from '../../activities/caseRecords';
import { createNotificationActivities } from '../../activities/notifications';
import { createMailer, type Mailer } from '../../lib/mailer';
import { connectDatabase, type Models } from '../../models';
import { env } from '../helpers/stack';

let models: Models;
let conn: mongoose.Connection;
let mailer: Mailer;
const commands: string[] = [];
let counting = false;

beforeAll(async () => {
  ({ conn, models } = await connectDatabase(env('MONGODB_URI'), {
    dbName: `test_${crypto.randomBytes(4).toString('hex')}`,
  }));
  mailer = createMailer(env('SMTP_URL'));
  mongoose.set('debug', (collection: string, method: string) => {
    if (counting) commands.push(`${collection}.${method}`);
  });
});
afterAll(async () => {
  mongoose.set('debug', false);
  mailer?.close();
  await conn?.close();
});

/** The commands `fn` sends. */
async function commandsOf(fn: () => Promise<unknown>): Promise<string[]> {
  commands.length = 0;
  counting = true;
  try {
    await fn();
  } finally {
    counting = false;
  }
  return [...commands];
}

const opening = (caseId: string) => ({
  caseId,
  type: 'monitoring_alarm' as const,
  title: '报警',
  enterpriseId: 'e1',
  regionPath: ['z'],
  industry: 'dust_explosion',
  level: 'red' as const,
  openedAt: '2026-12-03T08:00:00.000Z',
  entry: { key: 'opened', at: '2026-12-03T08:00:00.000Z', kind: 'opened', actor: 'system' },
});

it('opening a case is one command; opening it again adds no second entry', async () => {
  const records = createCaseRecordActivities({ CaseRecord: models.CaseRecord });
  expect(await commandsOf(() => records.openCase(opening('c/1')))).toEqual(['case_records.updateOne']);
  await records.openCase(opening('c/1'));
  const c = await models.CaseRecord.findById('c/1').lean();
  expect(c?.timeline.map((e) => e.key)).toEqual(['opened']);
  expect(c?.status).toBe('open');
});

it('a step with its change is one command; a retry appends nothing and still applies the change', async () => {
  const records = createCaseRecordActivities({ CaseRecord: models.CaseRecord });
  await records.openCase(opening('c/2'));
  const step = {
    caseId: 'c/2',
    level: 'orange' as const,
    entry: { key: 'level_changed/1', at: '2026-12-03T09:00:00.000Z', kind: 'level_changed', actor: 'system' },
  };
  expect(await commandsOf(() => records.updateCase(step))).toEqual(['case_records.updateOne']);
  await models.CaseRecord.updateOne({ _id: 'c/2' }, { $set: { level: 'red' } });
  await records.updateCase(step);
  const c = await models.CaseRecord.findById('c/2').lean();
  expect(c?.timeline.map((e) => e.key)).toEqual(['opened', 'level_changed/1']);
  expect(c?.level).toBe('orange');
  await expect(records.updateCase({ ...step, caseId: 'c/none' })).rejects.toThrow(
    'case record c/none does not exist: openCase must run first',
  );
});

it('a mail is two commands (counted and pending, then sent); sent twice it is sent once', async () => {
  const notifications = createNotificationActivities({
    mailer,
    Delivery: models.Delivery,
    mailFrom: 'x <x@warnflow.local>',
  });
  const input = {
    key: `c/3/notified/${crypto.randomBytes(4).toString('hex')}`,
    to: ['once@example.com'],
    template: 'demo-case-opened',
    data: { caseId: 'c/3', message: 'm', caseUrl: 'u' },
  };
  expect(await commandsOf(() => notifications.sendMail(input))).toEqual([
    'deliveries.updateOne',
    'deliveries.updateOne',
  ]);
  expect((await notifications.sendMail(input)).status).toBe('already_sent');
  expect(await models.Delivery.findById(input.key).lean()).toMatchObject({
    status: 'sent',
    attempts: 1,
    to: ['once@example.com'],
    channel: 'email',
  });
});
