/**
 * Warning notices (警示通报): `warning_notices`, one document per issued notice keyed by the case and
 * step that issued it (so a retried activity returns the same number), and `notice_counters`, one
 * per issuing agency and year (`<agencyId>/<year>`) incremented atomically with findOneAndUpdate
 * $inc + upsert (single-document atomicity; mongo-java-server has no transactions).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import { LEVELS, Level } from '../domain/cases';

export interface NoticeDoc {
  _id: string; // <caseId>/<step>
  /** 警示通报 number, e.g. `<agencyId>〔2026〕7号`; unique per issuing agency and year. */
  number: string;
  agencyId: string;
  year: number;
  seq: number;
  caseId: string;
  enterpriseId: string;
  level: Level;
  /** The role and party it went to. */
  toRole: string;
  toId?: string;
  issuedAt: Date;
}
export const noticeSchema = new Schema<NoticeDoc>(
  {
    _id: { type: String, required: true },
    number: { type: String, required: true },
    agencyId: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    caseId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    level: { type: String, enum: LEVELS, required: true },
    toRole: { type: String, required: true },
    toId: String,
    issuedAt: { type: Date, required: true },
  },
  { collection: 'warning_notices', versionKey: false },
);
// Uniqueness of the number (a defect in the counter would fail loudly instead of issuing a duplicate).
noticeSchema.index({ number: 1 }, { unique: true });
// Notices of a case (case page, monthly statistics of warning notices).
noticeSchema.index({ caseId: 1 });

export interface NoticeCounterDoc {
  _id: string; // <agencyId>/<year>
  seq: number;
}
export const noticeCounterSchema = new Schema<NoticeCounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { collection: 'notice_counters', versionKey: false });
// Served by the _id index: findOneAndUpdate({_id:'<agencyId>/<year>'}, {$inc:{seq:1}}, {upsert, new}).

export type NoticeModel = Model<NoticeDoc>;
export type NoticeCounterModel = Model<NoticeCounterDoc>;
export const noticeModel: (conn: Connection) => NoticeModel = modelOn('Notice', noticeSchema);
export const noticeCounterModel: (conn: Connection) => NoticeCounterModel = modelOn('NoticeCounter', noticeCounterSchema);
