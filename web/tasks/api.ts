/** Tasks (after `bearerAuth`): the caller's tasks, and completing one with its form. Task ids contain slashes. */
import { z } from 'zod';
import { HttpError } from '../errors';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import { taskCompletionRequest, taskView } from './schemas';
import { taskQuery } from './service';

export function tasksApi(s: Services) {
  const api = operations('tasks');
  api.get(
    '/tasks',
    {
      summary: 'Tasks assigned to you (your user, agency or enterprise), soonest due first; administrators see all',
      query: taskQuery,
      responses: { 200: { description: 'the tasks (at most 500)', schema: z.array(taskView) } },
    },
    (req, _res, input) => s.tasks.list(req.principal!, input.query()),
  );
  api.post(
    '/tasks/{id}/complete',
    {
      summary: 'Complete a task with its form (validated for the task’s kind); signals or updates its workflow',
      route: /^\/tasks\/(.+)\/complete$/,
      params: { id: 'the task id (contains slashes)' },
      body: taskCompletionRequest(),
      responses: { 200: { description: 'the completed task', schema: taskView } },
    },
    (req) => {
      const form = ((req.body ?? {}) as { form?: unknown }).form;
      if (form === undefined || form === null || typeof form !== 'object' || Array.isArray(form))
        throw new HttpError(400, 'form: must be an object with the task form fields', 'form');
      return s.tasks.completeTask(
        req.principal!,
        decodeURIComponent(String(req.params[0])),
        form as Record<string, unknown>,
        req.ip,
      );
    },
  );
  return api.router;
}
