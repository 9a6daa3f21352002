/** Warning notice numbers (警示通报编号) on the shared MongoDB: unique per agency and year under parallel issue, stable on retry. */
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { createDocumentActivities, shanghaiYear } from '../../activities/documents';
import { connectDatabase, Models } from '../../models';
import { env } from '../helpers/stack';

let conn: Connection;
let models: Models;
beforeAll(async () => {
  ({ conn, models } = await connectDatabase(env('MONGODB_URI'), { dbName: `test_notices_${crypto.randomBytes(3).toString('hex')}` }));
});
afterAll(async () => {
  await conn?.close();
});

const input = (i: number, agencyId = 'district-dust') => ({ caseId: `risk-warning/ent-${i}/20260301T000000Z`, step: 'notice/0/0', agencyId, enterpriseId: `ent-${i}`, level: 'red' as const, toRole: 'district_industry_regulator', issuedAt: '2026-03-01T00:30:00.000Z' });

describe('warning notice numbers', () => {
  it('forty notices of one agency issued at the same moment get forty different numbers, and the stored notices agree', async () => {
    const docs = createDocumentActivities(models);
    const issued = await Promise.all(Array.from({ length: 40 }, (_, i) => docs.issueNotice(input(i))));
    expect(new Set(issued.map((x) => x.number)).size).toBe(40);
    const stored = await models.Notice.find({ agencyId: 'district-dust' }).lean();
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((x) => x.seq)).size).toBe(40);
    expect(Math.min(...stored.map((x) => x.seq))).toBe(1);
    expect(issued[0].number).toMatch(/^district-dust〔2026〕\d+号$/);
  });

  it('a retried step (the same case and step, even in parallel) keeps its number and takes no new one', async () => {
    const docs = createDocumentActivities(models);
    const again = await Promise.all([docs.issueNotice(input(3)), docs.issueNotice(input(3))]);
    const first = await models.Notice.findById(`${input(3).caseId}/notice/0/0`).lean();
    expect(again.map((x) => x.number)).toEqual([first!.number, first!.number]);
    expect(await models.Notice.countDocuments({ agencyId: 'district-dust' })).toBe(40);
  });

  it('each agency counts on its own, and the year is the Beijing-time year', async () => {
    const docs = createDocumentActivities(models);
    expect((await docs.issueNotice(input(100, 'zone-safety'))).seq).toBe(1);
    expect(shanghaiYear('2026-12-31T16:30:00.000Z')).toBe(2027);
  });
});
