/**
 * reports: one document per report run (周报/月报), versioned per period: `report/<kind>/<periodStart>/v<n>`.
 * Holds its status, the rules version it used, the archived figures and the follow-ups it caused.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { ReportKind } from '../domain/reports/periods';
import type { FollowUp } from '../domain/reports/rules';

export const REPORT_STATUSES = ['running', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface ReportDoc {
  _id: string; // report/<kind>/<periodStart>/v<version>
  kind: ReportKind;
  periodStart: string; // YYYY-MM-DD (Asia/Shanghai)
  periodEnd: string; // exclusive
  version: number;
  status: ReportStatus;
  rulesVersion: number;
  /** Archived figures: per enterprise, per region, totals (activities/reports ReportFigures). */
  figures?: Record<string, unknown>;
  followUps: (FollowUp & { taskId?: string })[];
  /** Monthly reports: each enterprise's score of the month (domain/reports/score), read for the yearly score. */
  scores?: { e: string; s: number }[];
  pdfPath?: string;
  requestedBy: string;
  createdAt: Date;
  finishedAt?: Date;
}
export const reportSchema = new Schema<ReportDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['weekly', 'monthly'], required: true },
    periodStart: { type: String, required: true },
    periodEnd: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, enum: REPORT_STATUSES, required: true },
    rulesVersion: { type: Number, required: true },
    figures: Schema.Types.Mixed,
    followUps: { type: Schema.Types.Mixed, default: [] },
    scores: { type: Schema.Types.Mixed, default: undefined },
    pdfPath: String,
    requestedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    finishedAt: Date,
  },
  { collection: 'reports', versionKey: false },
);
// Versions of one period (409 without rerun, next version on rerun) and the report list, newest first.
// Also the yearly score: the year's done monthly reports, latest version of each month.
reportSchema.index({ kind: 1, periodStart: -1, version: -1 });

export type ReportModel = Model<ReportDoc>;
export const reportModel: (conn: Connection) => ReportModel = modelOn('Report', reportSchema);
