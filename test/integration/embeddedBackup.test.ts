/**
 * Issue 11 (seed 001 三, backup and recovery): a backup of the embedded store taken while it serves writes,
 * restored into a fresh data folder, holds every case, task and official document written before it, and the
 * documents' PDF files. Its own mongo-java-server on an H2 file, as `npm start` runs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupEmbeddedStore, restoreEmbeddedStore } from '../../embedded/backup';
import { startMongo } from '../../embedded/mongo';
import { connectDatabase } from '../../models';

type Mongo = Awaited<ReturnType<typeof startMongo>>;
let scratch: string;
const servers: Mongo[] = [];

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-backup-'));
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('a backup taken while writes go on restores into a fresh data folder with every case, task and document', async () => {
  const dataA = path.join(scratch, 'a', '.data');
  const live = await startMongo({ logDir: scratch, dataDir: dataA, forceEmbedded: true });
  servers.push(live);
  const a = await connectDatabase(`${live.address}/backuptest`);
  const now = new Date();
  const caseIds = Array.from({ length: 40 }, (_, i) => `risk-warning/e${i}/2026-12-03T08:00:00.000Z`);
  await a.models.CaseRecord.insertMany(
    caseIds.map((id, i) => ({
      _id: id,
      type: 'risk_warning',
      enterpriseId: `e${i}`,
      regionPath: ['city', 'd1'],
      industry: 'dust_explosion',
      title: `预警 ${i}`,
      level: 'orange',
      status: 'open',
      openedAt: now,
      deadlines: [],
      timeline: [{ key: 'opened', at: now.toISOString(), kind: 'opened', actor: 'system' }],
      updatedAt: now,
    })),
  );
  const taskIds = caseIds.map((id) => `${id}/track`);
  await a.models.Task.insertMany(
    caseIds.map((id, i) => ({
      _id: `${id}/track`,
      caseId: id,
      caseType: 'risk_warning',
      kind: 'onsite_record',
      title: `跟踪 ${i}`,
      enterpriseId: `e${i}`,
      assigneeAgencyId: 'd1-dust',
      status: 'open',
      form: 'onsiteRecord',
      createdAt: now,
    })),
  );
  const docs = caseIds.slice(0, 10).map((id, i) => ({
    _id: `${id}/notice`,
    kind: 'warning_notice' as const,
    number: `d1-dust预〔2026〕${i + 1}号`,
    agencyId: 'd1-dust',
    year: 2026,
    seq: i + 1,
    caseId: id,
    enterpriseId: `e${i}`,
    toRole: 'enterprise',
    title: '风险预警通知书',
    facts: {},
    file: `2026/warning_notice-${i + 1}.pdf`,
    issuedAt: now,
  }));
  await a.models.OfficialDocument.insertMany(docs);
  for (const d of docs) {
    fs.mkdirSync(path.join(dataA, 'documents', '2026'), { recursive: true });
    fs.writeFileSync(path.join(dataA, 'documents', d.file), `%PDF-1.4 ${d.number}`);
  }

  // Writes keep arriving while the backup is taken.
  let stop = false;
  let written = 0;
  const writer = (async () => {
    while (!stop) {
      await a.models.Task.updateOne({ _id: taskIds[written % taskIds.length] }, { $set: { title: `跟踪 ${written}` } });
      written++;
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  const backup = await backupEmbeddedStore(live.address, 'test-backup.zip');
  stop = true;
  await writer;
  await a.conn.close();
  expect(written).toBeGreaterThan(0);
  expect(backup.path).toBe(path.join(dataA, 'backups', 'test-backup.zip'));
  expect(backup.files).toBe(10);

  const dataB = path.join(scratch, 'b', '.data');
  expect(restoreEmbeddedStore(backup.path, dataB)).toMatch(/^RESTORED .*mongo\.mv .* and 10 files$/);
  const restored = await startMongo({ logDir: scratch, dataDir: dataB, forceEmbedded: true });
  servers.push(restored);
  const b = await connectDatabase(`${restored.address}/backuptest`);
  try {
    expect((await b.models.CaseRecord.find({}, { _id: 1 }).lean()).map((c) => c._id).sort()).toEqual(
      [...caseIds].sort(),
    );
    expect((await b.models.Task.find({}, { _id: 1 }).lean()).map((t) => t._id).sort()).toEqual([...taskIds].sort());
    const restoredDocs = await b.models.OfficialDocument.find({}).lean();
    expect(restoredDocs.map((d) => d.number).sort()).toEqual(docs.map((d) => d.number).sort());
    for (const d of docs)
      expect(fs.readFileSync(path.join(dataB, 'documents', d.file), 'utf8')).toBe(`%PDF-1.4 ${d.number}`);
  } finally {
    await b.conn.close();
  }
}, 120_000);
