/**
 * tasks: the human work in the regulators' inbox and the enterprises' portal, written by
 * activities (keyed by case id + step, so a retry creates no second task). Completing a task
 * signals or updates its workflow; the workflow then marks the task done through an activity.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import { CASE_TYPES, CaseType } from '../domain/cases';

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskDoc {
  _id: string; // <caseId>/<step>
  caseId: string;
  caseType: CaseType;
  /** What to do, a stable word: onsite_record, rectification_order, interview_minutes, suspension_review, alarm_disposal, warning_feedback, … */
  kind: string;
  title: string;
  enterpriseId?: string;
  assigneeAgencyId?: string;
  assigneeEnterpriseId?: string;
  assigneeUserId?: string; // claimed by / assigned to
  due?: Date;
  status: TaskStatus;
  /** Name of the form schema that completes it (web/services/forms). */
  form: string;
  completedBy?: string;
  completedAt?: Date;
  result?: Record<string, unknown>;
  createdAt: Date;
}
export const taskSchema = new Schema<TaskDoc>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    caseType: { type: String, enum: CASE_TYPES, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    enterpriseId: String,
    assigneeAgencyId: String,
    assigneeEnterpriseId: String,
    assigneeUserId: String,
    due: Date,
    status: { type: String, enum: TASK_STATUSES, required: true },
    form: { type: String, required: true },
    completedBy: String,
    completedAt: Date,
    result: Schema.Types.Mixed,
    createdAt: { type: Date, required: true },
  },
  { collection: 'tasks', versionKey: false },
);
// Agency inbox: open tasks of my agency by due date.
taskSchema.index({ assigneeAgencyId: 1, status: 1, due: 1 });
// Portal: what awaits my enterprise.
taskSchema.index({ assigneeEnterpriseId: 1, status: 1, due: 1 });
// "My tasks".
taskSchema.index({ assigneeUserId: 1, status: 1, due: 1 });
// Tasks of a case (case page).
taskSchema.index({ caseId: 1 });
// Overdue open tasks (/metrics).
taskSchema.index({ status: 1, due: 1 });

export type TaskModel = Model<TaskDoc>;
export const taskModel: (conn: Connection) => TaskModel = modelOn('Task', taskSchema);
