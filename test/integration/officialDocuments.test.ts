/**
 * Official documents (执法文书) on the shared MongoDB: numbers unique per agency, kind and year under
 * parallel issue and stable on retry; each document a PDF whose text (pdftotext) carries the title,
 * number, addressee, facts of the case and legal basis.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createDocumentActivities } from '../../activities/documents';
import { beijingYear } from '../../domain/time';
import { drawStoredDocument } from '../../lib/documentPdf';
import { connectDatabase, Models } from '../../models';
import { env } from '../helpers/stack';

let conn: Connection;
let models: Models;
let documentsDir: string;
beforeAll(async () => {
  ({ conn, models } = await connectDatabase(env('MONGODB_URI'), {
    dbName: `test_documents_${crypto.randomBytes(3).toString('hex')}`,
  }));
  documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-documents-'));
  await models.Agency.create({
    _id: 'district-dust',
    name: '滨海新区应急管理局',
    role: 'district_industry_regulator',
    regionId: 'binhai',
    industries: [],
    emails: [],
  });
  await models.Enterprise.create({
    _id: 'ent-7',
    name: '天津粉尘示范企业有限公司',
    uscc: '91120116MA05TEST7X',
    regionId: 'binhai',
    regionPath: ['tianjin', 'binhai'],
    industry: 'dust_explosion',
    size: 'small',
    inherentRisk: 'yellow',
    contacts: [],
    createdAt: new Date(),
  });
});
afterAll(async () => {
  await conn?.close();
});

const input = (i: number, agencyId = 'district-dust') => ({
  caseId: `risk-warning/ent-${i}/20260301T000000Z`,
  step: 'notice/0/0',
  agencyId,
  enterpriseId: `ent-${i}`,
  level: 'red' as const,
  toRole: 'district_industry_regulator',
  issuedAt: '2026-03-01T00:30:00.000Z',
});
const pdfText = (file: string) =>
  execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');

describe('official document numbers', () => {
  it('forty warning notices of one agency issued at the same moment get forty different numbers, and the stored documents agree', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    const issued = await Promise.all(Array.from({ length: 40 }, (_, i) => docs.issueNotice(input(i))));
    expect(new Set(issued.map((x) => x.number)).size).toBe(40);
    const stored = await models.OfficialDocument.find({ agencyId: 'district-dust', kind: 'warning_notice' }).lean();
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((x) => x.seq)).size).toBe(40);
    // Each number is its sequence; a number lost to a collision is a gap, never a duplicate (the embedded
    // server can fail both of two colliding inserts, so even the first numbers may be gaps).
    expect(stored.every((x) => x.seq >= 1 && x.number === `district-dust〔2026〕${x.seq}号`)).toBe(true);
    expect(issued[0].number).toMatch(/^district-dust〔2026〕\d+号$/);
  });

  it('a retried step (the same case and step, even in parallel) keeps its number and takes no new one', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    const again = await Promise.all([docs.issueNotice(input(3)), docs.issueNotice(input(3))]);
    const first = await models.OfficialDocument.findById(`${input(3).caseId}/notice/0/0`).lean();
    expect(again.map((x) => x.number)).toEqual([first!.number, first!.number]);
    expect(await models.OfficialDocument.countDocuments({ agencyId: 'district-dust' })).toBe(40);
  });

  it('each agency and each kind counts on its own, with the kind in the number, and the year is the Beijing-time year', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    expect((await docs.issueNotice(input(100, 'zone-safety'))).seq).toBe(1);
    const interviews = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        docs.issueDocument({
          caseId: `interview/ent-${i}`,
          step: 'notice',
          kind: 'interview_notice',
          agencyId: 'district-dust',
          enterpriseId: `ent-${i}`,
          toRole: 'enterprise',
          issuedAt: '2026-03-02T02:00:00.000Z',
          facts: {
            reason: '离线超过2天',
            scheduledAt: '2026年3月5日 09:00',
            place: '区应急局3楼会议室',
            attendees: '企业主要负责人',
          },
        }),
      ),
    );
    // Twelve different numbers from 1 up (a gap is allowed under concurrency, a duplicate never).
    expect(new Set(interviews.map((d) => d.number)).size).toBe(12);
    expect(Math.min(...interviews.map((d) => d.seq))).toBe(1);
    expect(interviews[0].number).toMatch(/^district-dust约〔2026〕\d+号$/);
    expect(beijingYear('2026-12-31T16:30:00.000Z')).toBe(2027);
  });
});

describe('official documents as PDF', () => {
  it('a rectification order prints its title, number, addressee, the hazards found, the deadline and its legal basis in Chinese', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    const d = await docs.issueDocument({
      caseId: 'risk-warning/ent-7/20260301T000000Z/onsite/0',
      step: 'rectification_order',
      kind: 'rectification_order',
      agencyId: 'district-dust',
      enterpriseId: 'ent-7',
      toRole: 'enterprise',
      toId: 'ent-7',
      issuedAt: '2026-03-01T06:00:00.000Z',
      facts: {
        inspectedAt: '2026年3月1日 14:00',
        hazards: '1. 除尘系统灰斗积尘未清理；2. 泄爆片损坏',
        findings: '现场核查除尘系统',
        rectifyBy: '2026年3月8日',
      },
    });
    expect(fs.existsSync(d.path)).toBe(true);
    const text = pdfText(d.path);
    for (const s of [
      '滨海新区应急管理局',
      '责令限期整改指令书',
      d.number,
      '天津粉尘示范企业有限公司：',
      '泄爆片损坏',
      '2026年3月8日',
      '中华人民共和国安全生产法',
      '依据',
      '2026年3月1日',
    ])
      expect(text).toContain(s.replace(/\s+/g, ''));
    expect(d.filename).toBe(`责令限期整改指令书-${d.number}.pdf`);
  });

  it('a document whose PDF was lost is drawn again on retry with the same number', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    const issue = () =>
      docs.issueDocument({
        caseId: 'interview/ent-7/x',
        step: 'interview_notice',
        kind: 'interview_notice',
        agencyId: 'district-dust',
        enterpriseId: 'ent-7',
        toRole: 'enterprise',
        toId: 'ent-7',
        issuedAt: '2026-03-02T02:00:00.000Z',
        facts: { reason: '离线', scheduledAt: '2026年3月5日 09:00', place: '区应急局', attendees: '负责人' },
      });
    const first = await issue();
    fs.rmSync(first.path);
    const again = await issue();
    expect(again.number).toBe(first.number);
    expect(fs.existsSync(again.path)).toBe(true);
    expect(pdfText(again.path)).toContain('约谈通知书');
  });

  it('a warning notice is numbered at once and drawn by its first reader, with the level and since when', async () => {
    const docs = createDocumentActivities(models, { documentsDir });
    const n = await docs.issueNotice({ ...input(200), enterpriseId: 'ent-7', since: '2026-03-01T00:00:00.000Z' });
    expect(n.path).toBeUndefined();
    const stored = (await models.OfficialDocument.findById(n.noticeId).lean())!;
    expect(stored.file).toBeUndefined();
    // Two first readers at once both get the document.
    const [drawn, alsoDrawn] = await Promise.all([
      drawStoredDocument(stored, documentsDir),
      drawStoredDocument(stored, documentsDir),
    ]);
    expect(alsoDrawn.path).toBe(drawn.path);
    const text = pdfText(drawn.path);
    for (const s of ['警示通报', n.number, '天津粉尘示范企业有限公司的红色风险预警自2026年3月1日08:00起'])
      expect(text).toContain(s.replace(/\s+/g, ''));
  });
});
