/**
 * The task forms, one registry: each kind's schema (validation, page fields, API document), its page
 * partial, and what completing it does. Adding a kind: one file beside this one exporting its
 * `defineTaskForm(...)` list, and one line below.
 */
import { fieldsOf, type FormField } from '../../forms';
import { HttpError } from '../../errors';
import { deviceFaultForms } from './deviceFault';
import { emergencyResponseForms } from './emergencyResponse';
import { interviewForms } from './interview';
import { monitoringForms } from './monitoring';
import { onSiteSupervisionForms } from './onSiteSupervision';
import { penaltyForms } from './penalty';
import { permitForms } from './permit';
import { riskWarningForms } from './riskWarning';
import type { TaskFormDefinition } from './types';

export { defineTaskForm } from './types';
export type { TaskCompletion, TaskFormDefinition, TaskFormServices } from './types';

const registry = new Map<string, TaskFormDefinition>();

/** Registers a task form; a second registration of the same `form` is a programming error. */
export function registerTaskForm(def: TaskFormDefinition): void {
  if (registry.has(def.form)) throw new Error(`task form ${def.form} is registered twice`);
  registry.set(def.form, def);
}

for (const def of [
  ...riskWarningForms,
  ...onSiteSupervisionForms,
  ...emergencyResponseForms,
  ...interviewForms,
  ...penaltyForms,
  ...monitoringForms,
  ...deviceFaultForms,
  ...permitForms,
])
  registerTaskForm(def);

/** The form of a task kind, or a 400 naming `form` when no form completes it. */
export function taskForm(form: string): TaskFormDefinition {
  const def = registry.get(form);
  if (!def) throw new HttpError(400, `a ${form} task is not completed here`, 'form');
  return def;
}

/** Every registered form (the OpenAPI document and the tests read them). */
export function taskForms(): TaskFormDefinition[] {
  return [...registry.values()];
}

/** The fields a task page renders: its schema's, or a note for a kind without a form. */
export function taskFieldsOf(form: string): FormField[] {
  const def = registry.get(form);
  return def ? fieldsOf(def.schema) : [{ name: 'note', type: 'textarea' }];
}
