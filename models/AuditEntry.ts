/** audit_entries: every action on the system, attributable and kept (DOMAIN.md, non-functional). Append-only. */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface AuditEntryDoc {
  at: Date;
  actor: string; // username, "system", or "datakey:<id>"
  action: string; // e.g. enterprise.create, task.complete, warning.level
  target?: string; // id of what was acted on
  detail?: Record<string, unknown>;
  ip?: string;
}
export const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: String,
    detail: Schema.Types.Mixed,
    ip: String,
  },
  { collection: 'audit_entries', versionKey: false },
);
// Admin search: newest first, by actor or target.
auditEntrySchema.index({ at: -1 });
auditEntrySchema.index({ actor: 1, at: -1 });
auditEntrySchema.index({ target: 1, at: -1 });

export type AuditEntryModel = Model<AuditEntryDoc>;
export const auditEntryModel: (conn: Connection) => AuditEntryModel = modelOn('AuditEntry', auditEntrySchema);
