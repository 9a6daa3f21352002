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
  /** The chain (web/services/audit.ts): position, the hash of the entry before, this entry's hash. Absent on entries written before the chain. */
  seq?: number;
  prevHash?: string;
  hash?: string;
}
export const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: String,
    detail: Schema.Types.Mixed,
    ip: String,
    seq: Number,
    prevHash: String,
    hash: String,
  },
  { collection: 'audit_entries', versionKey: false },
);
// The chain: one entry per position (a second writer of the same position retries), paging by position.
auditEntrySchema.index({ seq: 1 }, { unique: true, sparse: true });
// Admin search: newest first, by actor or target.
auditEntrySchema.index({ at: -1 });
auditEntrySchema.index({ actor: 1, at: -1 });
auditEntrySchema.index({ target: 1, at: -1 });

export type AuditEntryModel = Model<AuditEntryDoc>;
export const auditEntryModel: (conn: Connection) => AuditEntryModel = modelOn('AuditEntry', auditEntrySchema);
