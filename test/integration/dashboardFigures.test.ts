/**
 * The dashboard's figures on the real MongoDB: the alarm trend counts alarms by Beijing day (Asia/Shanghai),
 * the calendar day a regulator lives in, not by UTC day (seed 001 二(三) statistics).
 */
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Principal } from '../../domain/access';
import { connectDatabase, Models } from '../../models';
import { createDashboardService } from '../../web/monitoring/dashboard';
import { env as envVar } from '../helpers/stack';

let conn: Connection;
let models: Models;
const db = `test_dash_${crypto.randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  ({ conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName: db }));
});
afterAll(async () => {
  await conn?.close();
});

const admin: Principal = { username: 'admin1', role: 'admin', displayName: 'admin' };
let n = 0;
const alarm = (openedAt: string) => ({
  _id: `alarm/d-${n++}`,
  type: 'monitoring_alarm',
  enterpriseId: 'ent-1',
  regionPath: ['city', 'east'],
  title: '压差报警',
  status: 'closed',
  openedAt: new Date(openedAt),
  deadlines: [],
  timeline: [],
  updatedAt: new Date(openedAt),
});

it('the alarm trend counts the last seven Beijing days: an alarm at 01:00 Beijing belongs to that Beijing day, not to the UTC day before', async () => {
  await models.CaseRecord.insertMany([
    alarm('2026-03-01T17:00:00.000Z'), // 2026-03-02 01:00 Beijing
    alarm('2026-03-01T15:59:59.000Z'), // 2026-03-01 23:59:59 Beijing
    alarm('2026-03-02T00:30:00.000Z'), // 2026-03-02 08:30 Beijing
    alarm('2026-02-23T16:00:00.000Z'), // 2026-02-24 00:00 Beijing: the first day of the seven
    alarm('2026-02-23T15:00:00.000Z'), // 2026-02-23 23:00 Beijing: before them
  ]);
  // 2026-03-02 09:00 Beijing.
  const dashboard = createDashboardService({ models, now: () => Date.parse('2026-03-02T01:00:00.000Z') });
  const o = await dashboard.overview(admin);
  expect(o.alarmTrend).toEqual([
    { day: '2026-02-24', count: 1 },
    { day: '2026-02-25', count: 0 },
    { day: '2026-02-26', count: 0 },
    { day: '2026-02-27', count: 0 },
    { day: '2026-02-28', count: 0 },
    { day: '2026-03-01', count: 1 },
    { day: '2026-03-02', count: 2 },
  ]);
});
