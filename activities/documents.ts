/**
 * Documents: warning notices (警示通报) numbered per issuing agency and year. Idempotent by case id +
 * step: a retry returns the notice already issued. The number comes from a $inc on the agency-year
 * counter, checked by the unique index on the number; a crash between the increment and the insert
 * leaves a gap, never a duplicate.
 */
import type { Level } from '../domain/cases';
import type { NoticeCounterModel, NoticeDoc, NoticeModel } from '../models/Notice';

export interface IssueNoticeInput {
  caseId: string;
  step: string;
  agencyId: string;
  enterpriseId: string;
  level: Level;
  toRole: string;
  toId?: string;
  issuedAt: string;
}

export interface IssuedNotice {
  noticeId: string;
  number: string;
  seq: number;
  year: number;
}

/** The year of an instant in Beijing time (notices are numbered by the calendar year there). */
export function shanghaiYear(iso: string): number {
  return new Date(Date.parse(iso) + 8 * 3600_000).getUTCFullYear();
}

export function noticeNumber(agencyId: string, year: number, seq: number): string {
  return `${agencyId}〔${year}〕${seq}号`;
}

export function createDocumentActivities(deps: { Notice: NoticeModel; NoticeCounter: NoticeCounterModel }) {
  const { Notice, NoticeCounter } = deps;
  const asIssued = (d: Pick<NoticeDoc, '_id' | 'number' | 'seq' | 'year'>): IssuedNotice => ({ noticeId: d._id, number: d.number, seq: d.seq, year: d.year });

  return {
    async issueNotice(input: IssueNoticeInput): Promise<IssuedNotice> {
      const noticeId = `${input.caseId}/${input.step}`;
      const existing = await Notice.findById(noticeId).lean();
      if (existing) return asIssued(existing);
      const year = shanghaiYear(input.issuedAt);
      // The unique index on `number` is the arbiter: the embedded MongoDB-wire server can hand the same
      // $inc result to two concurrent callers (docs/mongodb-compatibility.md); the loser takes the next one.
      for (let attempt = 0; ; attempt++) {
        const counter = await NoticeCounter.findOneAndUpdate({ _id: `${input.agencyId}/${year}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
        const seq = counter!.seq;
        const doc: NoticeDoc = {
          _id: noticeId,
          number: noticeNumber(input.agencyId, year, seq),
          agencyId: input.agencyId,
          year,
          seq,
          caseId: input.caseId,
          enterpriseId: input.enterpriseId,
          level: input.level,
          toRole: input.toRole,
          toId: input.toId,
          issuedAt: new Date(input.issuedAt),
        };
        try {
          await Notice.create(doc);
          return asIssued(doc);
        } catch (err) {
          const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
          if (e.code !== 11000) throw err;
          // The same step issued meanwhile (a concurrent retry): keep its number.
          const same = await Notice.findById(noticeId).lean();
          if (same) return asIssued(same);
          if (attempt >= 20) throw err;
        }
      }
    },
  };
}
export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
