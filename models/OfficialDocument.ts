/**
 * Official documents (执法文书): `official_documents`, one per issued document — warning notices
 * (警示通报), interview notices, on-site supervision notices, rectification orders, penalty advance
 * notices and decisions — keyed by the case and step that issued it, so a retried activity returns
 * the same number; and `notice_counters`, one sequence per issuing agency, kind and year, incremented
 * atomically with findOneAndUpdate $inc + upsert (single-document atomicity; mongo-java-server has no
 * transactions). The counters kept their first collection name so existing sequences continue.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import { LEVELS, Level } from '../domain/cases';
import { DOCUMENT_KINDS, DocumentKind } from '../domain/documents';

export interface OfficialDocumentDoc {
  _id: string; // <caseId>/<step>
  kind: DocumentKind;
  /** e.g. `district-dust约〔2026〕7号`; unique (domain/documents documentNumber). */
  number: string;
  /** Issuing agency (or `platform` when the ladder names none). */
  agencyId: string;
  year: number;
  seq: number;
  caseId: string;
  enterpriseId: string;
  level?: Level;
  /** The role and party it is addressed to. */
  toRole: string;
  toId?: string;
  toName?: string;
  /** The printed title (文书名称). */
  title: string;
  /** The facts taken from the case that the template printed (kept: the document is reproducible). */
  facts: Record<string, string>;
  /** The rendered PDF, relative to the documents folder. */
  file?: string;
  issuedAt: Date;
}
export const officialDocumentSchema = new Schema<OfficialDocumentDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    number: { type: String, required: true },
    agencyId: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    caseId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    level: { type: String, enum: LEVELS },
    toRole: { type: String, required: true },
    toId: String,
    toName: String,
    title: { type: String, required: true },
    facts: { type: Schema.Types.Mixed, default: {} },
    file: String,
    issuedAt: { type: Date, required: true },
  },
  { collection: 'official_documents', versionKey: false, minimize: false },
);
// Uniqueness of the number (a defect in the counter fails loudly instead of issuing a duplicate).
officialDocumentSchema.index({ number: 1 }, { unique: true });
// Documents of a case (case page, timeline links).
officialDocumentSchema.index({ caseId: 1 });
// Documents addressed to an enterprise, newest first (enterprise portal).
officialDocumentSchema.index({ enterpriseId: 1, issuedAt: -1 });

export interface DocumentCounterDoc {
  _id: string; // domain/documents counterKey: <agencyId>/<year> (warning notices) or <agencyId>/<kind>/<year>
  seq: number;
}
export const documentCounterSchema = new Schema<DocumentCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'notice_counters', versionKey: false },
);
// Served by the _id index: findOneAndUpdate({_id}, {$inc:{seq:1}}, {upsert, new}).

export type OfficialDocumentModel = Model<OfficialDocumentDoc>;
export type DocumentCounterModel = Model<DocumentCounterDoc>;
export const officialDocumentModel: (conn: Connection) => OfficialDocumentModel = modelOn(
  'OfficialDocument',
  officialDocumentSchema,
);
export const documentCounterModel: (conn: Connection) => DocumentCounterModel = modelOn(
  'DocumentCounter',
  documentCounterSchema,
);
