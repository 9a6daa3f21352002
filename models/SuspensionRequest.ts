/**
 * suspension_requests (停用申报, seed 002 第二十五条): an enterprise asks to suspend devices or video
 * channels for a period; the district emergency bureau approves (issuing a 停用许可 document) or rejects it. While an approved suspension covers a device,
 * its silence is not offline (counted as suspendedSeconds) and its offline case does not escalate.
 * Written by the suspensionRequest workflow's activities; the web reads it.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import { SUSPENSION_REASONS } from '../domain/offline';

export const SUSPENSION_STATUSES = ['pending', 'approved', 'rejected'] as const;

export interface SuspensionRequestDoc {
  _id: string; // suspension/<enterpriseId>/<uuid>, also the workflow id
  enterpriseId: string;
  deviceCodes: string[];
  channelIds?: string[];
  reason: (typeof SUSPENSION_REASONS)[number];
  detail?: string;
  from: Date;
  to: Date;
  status: (typeof SUSPENSION_STATUSES)[number];
  requestedBy: string;
  reviewAgencyId?: string;
  decidedBy?: string;
  decidedAt?: Date;
  note?: string;
  /** The written permission an approval issued (official_documents id and number). */
  permissionDocumentId?: string;
  permissionNumber?: string;
  createdAt: Date;
}
export const suspensionRequestSchema = new Schema<SuspensionRequestDoc>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    deviceCodes: { type: [String], required: true },
    channelIds: { type: [String], default: [] },
    reason: { type: String, enum: SUSPENSION_REASONS, required: true },
    detail: String,
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    status: { type: String, enum: SUSPENSION_STATUSES, required: true },
    requestedBy: { type: String, required: true },
    reviewAgencyId: String,
    decidedBy: String,
    decidedAt: Date,
    note: String,
    permissionDocumentId: String,
    permissionNumber: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'suspension_requests', versionKey: false },
);
// Approved suspensions of a device that overlap a period (offline accounting, offline case): {deviceCodes, status, to > from}.
suspensionRequestSchema.index({ deviceCodes: 1, status: 1 });
// The same for video channels.
suspensionRequestSchema.index({ channelIds: 1, status: 1 });
// An enterprise's requests (portal).
suspensionRequestSchema.index({ enterpriseId: 1, createdAt: -1 });

export type SuspensionRequestModel = Model<SuspensionRequestDoc>;
export const suspensionRequestModel: (conn: Connection) => SuspensionRequestModel = modelOn(
  'SuspensionRequest',
  suspensionRequestSchema,
);
