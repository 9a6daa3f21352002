/** What a task form is: its schema (validation, page fields, API document) and what completing it does. */
import type { WorkflowHandle } from '@temporalio/client';
import type { z } from 'zod';
import type { Principal } from '../../../domain/access';
import type { TaskDoc } from '../../../models/Task';
import type { AlarmService } from '../../cases/alarms';
import type { DeviceSettingsService } from '../../monitoring/deviceSettings';

/** The services a form hands its task to when that service closes the task itself. */
export interface TaskFormServices {
  alarms: Pick<AlarmService, 'fileDisposal' | 'decideSuspension'>;
  deviceSettings: Pick<DeviceSettingsService, 'decide'>;
}

/** A completion: the task, who completes it, and the values its schema accepted. */
export interface TaskCompletion<T> {
  task: TaskDoc;
  principal: Principal;
  values: T;
  ip?: string;
  /** A feedback's upload ids, checked to be the case enterprise's. */
  attachments?: string[];
  /** The task's case workflow. */
  workflow: WorkflowHandle;
  services: TaskFormServices;
}

export interface TaskFormDefinition<S extends z.ZodType = z.ZodType> {
  /** `task.form`. */
  form: string;
  schema: S;
  /**
   * Who closes the task: `workflow` (the task is claimed here, audited, then `complete` messages the case
   * workflow; a refusal reopens it), `service` (`complete` hands it to the service that closes it and
   * audits), `task` (the result is the task's own record; nothing is messaged).
   */
  closedBy: 'workflow' | 'service' | 'task';
  complete?(c: TaskCompletion<z.output<S>>): Promise<void>;
  /** The page partial that renders its fields; `taskFields` (fields derived from the schema) unless named. */
  partial?: string;
  /** The page form takes files (multipart) beside the fields. */
  attachments?: boolean;
}

/** Typed at the definition, kept as a plain definition in the registry. */
export function defineTaskForm<S extends z.ZodType>(d: TaskFormDefinition<S>): TaskFormDefinition {
  return d;
}
