/** Tasks (after `bearerAuth`): `GET /api/v1/tasks?assignee=&status=`, `POST /api/v1/tasks/{id}/complete {form}`. Task ids contain slashes. */
import { Router } from 'express';
import { fromZod, HttpError } from '../errors';
import { taskQuery } from './service';
import type { Services } from '../composition';

export function tasksApi(s: Services): Router {
  const r = Router();
  r.get('/tasks', async (req, res) => {
    const parsed = taskQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.tasks.list(req.principal!, parsed.data));
  });
  r.post(/^\/tasks\/(.+)\/complete$/, async (req, res) => {
    const form = (req.body ?? {}).form;
    if (form === undefined || form === null || typeof form !== 'object' || Array.isArray(form)) throw new HttpError(400, 'form: must be an object with the task form fields', 'form');
    res.json(await s.tasks.completeTask(req.principal!, decodeURIComponent(String(req.params[0])), form as Record<string, unknown>, req.ip));
  });
  return r;
}
