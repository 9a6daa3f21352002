/**
 * Official documents (执法文书): issue one — number it, keep it, draw its PDF (warning notices: drawn by
 * their first reader). Idempotent by case id + step: a retry returns the document already issued (and
 * draws the PDF again if a crash lost it).
 * The number comes from a $inc on the agency-kind-year counter, checked by the unique index on the
 * number; a crash between the increment and the insert leaves a gap, never a duplicate.
 */
import path from 'node:path';
import { paths } from '../config';
import { LEVEL_ZH, type Level } from '../domain/cases';
import { DOCUMENT_KIND_INFO, DocumentKind, counterKey, documentNumber } from '../domain/documents';
import { beijingYear, chineseDateTime } from '../domain/time';
import type { Models } from '../models';
import type { OfficialDocumentDoc } from '../models/OfficialDocument';
import { documentFile, drawStoredDocument } from '../lib/documentPdf';

export interface IssueDocumentInput {
  caseId: string;
  /** The step of the case that issues it: with caseId, its identity (a retry issues nothing new). */
  step: string;
  kind: DocumentKind;
  /** Issuing agency, or `platform` when none is named. */
  agencyId: string;
  enterpriseId: string;
  level?: Level;
  toRole: string;
  /** Addressee: an agency id or the enterprise id; its name is looked up when toName is absent. */
  toId?: string;
  toName?: string;
  issuedAt: string;
  /** Facts from the case, printed by the kind's template (templates/documents/<kind>.hbs). */
  facts: Record<string, string>;
}

export interface IssuedDocument {
  documentId: string;
  kind: DocumentKind;
  number: string;
  seq: number;
  year: number;
  title: string;
  /** Absolute path of the PDF (mail attachments). */
  path: string;
  /** A file name for the attachment, e.g. `约谈通知书-district-dust约〔2026〕3号.pdf`. */
  filename: string;
}

/** The warning notice of a risk warning (警示通报); the workflow passes no facts: they are read here. */
export interface IssueNoticeInput {
  caseId: string;
  step: string;
  agencyId: string;
  enterpriseId: string;
  level: Level;
  toRole: string;
  toId?: string;
  issuedAt: string;
  /** When the level's clock started (the warning has not been downgraded since). */
  since?: string;
}
export interface IssuedNotice {
  noticeId: string;
  number: string;
  seq: number;
  year: number;
  /** Absent: the notice is drawn by its first reader. */
  path?: string;
  filename?: string;
}

const PLATFORM_NAME = '滨海新区大应急融合平台';

export function createDocumentActivities(
  deps: Pick<Models, 'OfficialDocument' | 'DocumentCounter' | 'Agency' | 'Enterprise' | 'CaseRecord'>,
  opts: { documentsDir?: string } = {},
) {
  const m = deps;
  const dir = opts.documentsDir ?? paths.documents;

  async function nameOf(id: string | undefined): Promise<string | undefined> {
    if (!id) return undefined;
    if (id === 'platform') return PLATFORM_NAME;
    const a = await m.Agency.findById(id, { name: 1 }).lean();
    if (a) return a.name;
    const e = await m.Enterprise.findById(id, { name: 1 }).lean();
    return e?.name;
  }

  /** The issued document, its PDF drawn now unless `draw` is false (then it is drawn by its first reader). */
  async function issued(d: OfficialDocumentDoc, draw: boolean): Promise<IssuedDocument> {
    const title = DOCUMENT_KIND_INFO[d.kind].zh;
    const filename = `${title}-${d.number}.pdf`;
    const base = { documentId: d._id, kind: d.kind, number: d.number, seq: d.seq, year: d.year, title, filename };
    if (!draw) return { ...base, path: path.join(dir, d.file ?? documentFile(d)) };
    const f = await drawStoredDocument(d, dir);
    if (!d.file) await m.OfficialDocument.updateOne({ _id: d._id }, { $set: { file: f.file } });
    return { ...base, path: f.path };
  }

  async function issueDocument(input: IssueDocumentInput, opts: { draw?: boolean } = {}): Promise<IssuedDocument> {
    const draw = opts.draw ?? true;
    const documentId = `${input.caseId}/${input.step}`;
    const existing = await m.OfficialDocument.findById(documentId).lean<OfficialDocumentDoc>();
    if (existing) return issued(existing, draw);
    const toName =
      input.toName ?? (await nameOf(input.toId)) ?? (await nameOf(input.enterpriseId)) ?? input.enterpriseId;
    const enterpriseName = (await nameOf(input.enterpriseId)) ?? input.enterpriseId;
    const agencyName = (await nameOf(input.agencyId)) ?? input.agencyId;
    const year = beijingYear(input.issuedAt);
    // The unique index on `number` is the arbiter: the embedded MongoDB-wire server can hand the same
    // $inc result to two concurrent callers (docs/mongodb-compatibility.md); the loser takes the next one.
    for (let attempt = 0; ; attempt++) {
      const counter = await m.DocumentCounter.findOneAndUpdate(
        { _id: counterKey(input.agencyId, input.kind, year) },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      const seq = counter.seq;
      const doc: OfficialDocumentDoc = {
        _id: documentId,
        kind: input.kind,
        number: documentNumber(input.agencyId, input.kind, year, seq),
        agencyId: input.agencyId,
        year,
        seq,
        caseId: input.caseId,
        enterpriseId: input.enterpriseId,
        level: input.level,
        toRole: input.toRole,
        toId: input.toId,
        toName,
        title: DOCUMENT_KIND_INFO[input.kind].zh,
        facts: { enterpriseName, agencyName, ...input.facts },
        issuedAt: new Date(input.issuedAt),
      };
      try {
        await m.OfficialDocument.create(doc);
        return issued(doc, draw);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // The same step issued meanwhile (a concurrent retry): keep its number.
        const same = await m.OfficialDocument.findById(documentId).lean<OfficialDocumentDoc>();
        if (same) return issued(same, draw);
        if (attempt >= 20) throw err;
      }
    }
  }

  return {
    /** Number, store and draw (PDF) an official document. */
    issueDocument: (input: IssueDocumentInput) => issueDocument(input),

    /** 警示通报 of a risk warning: its facts (level, since when) from the input and the case record. */
    async issueNotice(input: IssueNoticeInput): Promise<IssuedNotice> {
      const since =
        input.since ??
        (await m.CaseRecord.findById(input.caseId, { openedAt: 1 }).lean())?.openedAt?.toISOString() ??
        input.issuedAt;
      // Numbered and stored at once; drawn by its first reader (web/services/documents.ts). A ladder of
      // thousands of warnings falling due together pushes its notices without typesetting in the way.
      const d = await issueDocument(
        {
          caseId: input.caseId,
          step: input.step,
          kind: 'warning_notice',
          agencyId: input.agencyId,
          enterpriseId: input.enterpriseId,
          level: input.level,
          toRole: input.toRole,
          toId: input.toId,
          issuedAt: input.issuedAt,
          facts: { levelZh: LEVEL_ZH[input.level], since: chineseDateTime(since) },
        },
        { draw: false },
      );
      return { noticeId: d.documentId, number: d.number, seq: d.seq, year: d.year };
    },
  };
}
export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
