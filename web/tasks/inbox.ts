/**
 * The people's side read model: regulators' inbox (待办), the case page, the enterprise portal's
 * "what awaits me", and task claim / assign; completing a task is tasks/service.ts `completeTask`.
 * Every read is cut to the principal's jurisdiction (属地).
 */
import { z } from 'zod';
import { canSeeEnterprise, Principal } from '../../domain/access';
import { CASE_TYPES, LEVELS } from '../../domain/cases';
import { INDUSTRIES } from '../../domain/masterData';
import type { Models } from '../../models';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import type { TaskDoc } from '../../models/Task';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';

const PAGE = 50;
/** Level/region/industry filters walk at most this many of my open tasks, CHUNK at a time. */
const SCAN_LIMIT = 20_000;
const CHUNK = 500;
const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

/** Inbox filters, from the query string. */
export const inboxFilters = z.object({
  scope: optional(z.enum(['mine', 'agency', 'all'])),
  caseType: optional(z.enum(CASE_TYPES)),
  level: optional(z.enum(LEVELS)),
  region: optional(z.string().trim().max(64)),
  industry: optional(z.enum(INDUSTRIES)),
  overdue: optional(z.enum(['1'])),
  dueWithinHours: optional(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90),
  ),
  page: optional(z.coerce.number().int().min(1).max(1000)),
});
export type InboxFilters = z.infer<typeof inboxFilters>;

export const assignForm = z.object({ assignee: z.string().trim().min(1, 'must name a colleague').max(100) });

type CaseFacts = Pick<CaseRecordDoc, 'level' | 'regionPath' | 'industry' | 'enterpriseId'>;

export interface InboxRow extends TaskDoc {
  level?: string;
  enterpriseName?: string;
  overdue: boolean;
}

export function createPortalService(deps: { models: Models; audit: AuditService; now?: () => number }) {
  const { models, audit } = deps;
  const now = deps.now ?? Date.now;

  async function enterpriseFacts(id: string | undefined) {
    if (!id) return undefined;
    return models.Enterprise.findById(id, {
      _id: 1,
      name: 1,
      regionPath: 1,
      industry: 1,
      regionId: 1,
      currentLevel: 1,
      inherentRisk: 1,
      dustWorkers: 1,
      dustType: 1,
      address: 1,
      contacts: 1,
      connected: 1,
    }).lean();
  }

  /** May this principal see this case? Cases without an enterprise are for administrators only. */
  async function canSeeCase(
    p: Principal,
    rec: Pick<CaseRecordDoc, 'enterpriseId' | 'regionPath' | 'industry' | 'trackingAgencyId'>,
  ): Promise<boolean> {
    if (p.role === 'admin') return true;
    if (p.role === 'regulator' && rec.trackingAgencyId && rec.trackingAgencyId === p.agencyId) return true;
    if (!rec.enterpriseId) return false;
    const facts =
      rec.regionPath && rec.industry
        ? { _id: rec.enterpriseId, regionPath: rec.regionPath, industry: rec.industry as never }
        : await enterpriseFacts(rec.enterpriseId);
    return !!facts && canSeeEnterprise(p, facts);
  }

  function parseInboxFilters(query: unknown): InboxFilters {
    const parsed = inboxFilters.safeParse(query);
    if (!parsed.success) throw fromZod(parsed.error);
    return parsed.data;
  }

  /** The tasks the filters select, and (for level, region, industry) the test their case must pass. */
  function inboxQuery(p: Principal, f: InboxFilters, t: number) {
    const filter: Record<string, unknown> = { ...taskFilterFor(p, f.scope), status: 'open' };
    if (f.caseType) filter.caseType = f.caseType;
    if (f.overdue) filter.due = { $lt: new Date(t) };
    else if (f.dueWithinHours) filter.due = { $lte: new Date(t + f.dueWithinHours * 3600_000) };
    const wanted =
      f.level || f.region || f.industry
        ? (c: CaseFacts | undefined) =>
            !!c &&
            (!f.level || c.level === f.level) &&
            (!f.region || (c.regionPath ?? []).includes(f.region)) &&
            (!f.industry || c.industry === f.industry)
        : undefined;
    return { filter, wanted };
  }

  /** The cases of some tasks, by _id: what the filters and the rows need of them. */
  async function casesOf(tasks: TaskDoc[]): Promise<Map<string, CaseFacts>> {
    if (!tasks.length) return new Map();
    const found = await models.CaseRecord.find(
      { _id: { $in: [...new Set(tasks.map((x) => x.caseId))] } },
      { level: 1, regionPath: 1, industry: 1, enterpriseId: 1 },
    ).lean();
    return new Map(found.map((c) => [c._id, c]));
  }

  /** Inbox rows: each task with its case's level, its enterprise's name, and whether it is overdue at `t`. */
  async function rowsOf(tasks: TaskDoc[], cases: Map<string, CaseFacts>, t: number): Promise<InboxRow[]> {
    const entIds = [...new Set(tasks.map((x) => x.enterpriseId).filter((x): x is string => !!x))];
    const ents = new Map(
      entIds.length
        ? (await models.Enterprise.find({ _id: { $in: entIds } }, { name: 1 }).lean()).map((e) => [e._id, e.name])
        : [],
    );
    return tasks.map((x) => ({
      ...x,
      level: cases.get(x.caseId)?.level,
      enterpriseName: x.enterpriseId ? ents.get(x.enterpriseId) : undefined,
      overdue: !!x.due && x.due.getTime() < t,
    }));
  }

  function taskFilterFor(p: Principal, scope: InboxFilters['scope']): Record<string, unknown> {
    switch (p.role) {
      case 'admin':
        return scope === 'mine' ? { assigneeUserId: p.username } : {};
      case 'enterprise':
        return { assigneeEnterpriseId: p.enterpriseId ?? '\u0000none' };
      case 'regulator':
        if (scope === 'mine') return { assigneeUserId: p.username };
        return { assigneeAgencyId: p.agencyId ?? '\u0000none' };
    }
  }

  async function loadTask(p: Principal, taskId: string): Promise<TaskDoc> {
    const task = await models.Task.findById(taskId).lean();
    if (!task) throw new HttpError(404, `no task ${taskId}`, 'taskId');
    if (!mayActOn(p, task))
      throw new HttpError(
        403,
        `task ${taskId} is not for you or your ${p.role === 'enterprise' ? 'enterprise' : 'agency'}`,
        'taskId',
      );
    return task;
  }

  function mayActOn(p: Principal, t: TaskDoc): boolean {
    if (p.role === 'admin') return true;
    if (p.role === 'enterprise') return !!t.assigneeEnterpriseId && t.assigneeEnterpriseId === p.enterpriseId;
    return (!!t.assigneeAgencyId && t.assigneeAgencyId === p.agencyId) || t.assigneeUserId === p.username;
  }

  return {
    canSeeCase,
    mayActOn,

    /** The inbox: open tasks for me / my agency / my enterprise, filtered, soonest due first, one page. */
    async inbox(
      p: Principal,
      query: unknown,
    ): Promise<{ rows: InboxRow[]; filters: InboxFilters; page: number; more: boolean }> {
      const f = parseInboxFilters(query);
      const page = f.page ?? 1;
      const t = now();
      const { filter, wanted } = inboxQuery(p, f, t);
      let tasks: TaskDoc[];
      if (wanted) {
        // Walk my tasks in due order, chunk by chunk, keeping those whose case matches (case lookups by _id):
        // selective on the embedded server, where a large $in over tasks is not.
        const matched: TaskDoc[] = [];
        const need = page * PAGE + 1;
        for (let offset = 0; matched.length < need && offset < SCAN_LIMIT; offset += CHUNK) {
          const chunk = await models.Task.find(filter).sort({ due: 1, _id: 1 }).skip(offset).limit(CHUNK).lean();
          if (!chunk.length) break;
          const cases = await casesOf(chunk);
          for (const x of chunk) if (wanted(cases.get(x.caseId))) matched.push(x);
          if (chunk.length < CHUNK) break;
        }
        tasks = matched.slice((page - 1) * PAGE, page * PAGE + 1);
      } else {
        tasks = await models.Task.find(filter)
          .sort({ due: 1, _id: 1 })
          .skip((page - 1) * PAGE)
          .limit(PAGE + 1)
          .lean();
      }
      const more = tasks.length > PAGE;
      const pageTasks = tasks.slice(0, PAGE);
      return { rows: await rowsOf(pageTasks, await casesOf(pageTasks), t), filters: f, page, more };
    },

    /**
     * The whole inbox under the same filters, in the same order, read from one cursor a chunk at a time (the
     * export of the inbox): no page walk, no 20,000-task scan limit.
     */
    async *inboxAll(p: Principal, query: unknown): AsyncIterable<InboxRow> {
      const f = parseInboxFilters(query);
      const t = now();
      const { filter, wanted } = inboxQuery(p, f, t);
      const cursor = models.Task.find(filter).sort({ due: 1, _id: 1 }).lean<TaskDoc[]>().cursor({ batchSize: CHUNK });
      let chunk: TaskDoc[] = [];
      const flush = async () => {
        const cases = await casesOf(chunk);
        const kept = wanted ? chunk.filter((x) => wanted(cases.get(x.caseId))) : chunk;
        chunk = [];
        return rowsOf(kept, cases, t);
      };
      for await (const task of cursor) {
        chunk.push(task);
        if (chunk.length >= CHUNK) yield* await flush();
      }
      if (chunk.length) yield* await flush();
    },

    /** The case page: record, enterprise summary, its tasks, and which of them this user may act on now. */
    async casePage(p: Principal, caseId: string) {
      const record = await models.CaseRecord.findById(caseId).lean();
      if (!record) throw new HttpError(404, `no case ${caseId}`, 'caseId');
      if (!(await canSeeCase(p, record))) {
        await audit.record(p.username, 'case.view_refused', caseId);
        throw new HttpError(403, `case ${caseId} is outside your jurisdiction`, 'caseId');
      }
      const [enterprise, tasks] = await Promise.all([
        enterpriseFacts(record.enterpriseId),
        models.Task.find({ caseId }).sort({ createdAt: 1 }).lean(),
      ]);
      const t = now();
      const nextDeadline = record.deadlines
        .map((d) => d.due)
        .filter((d) => Date.parse(d) > t)
        .sort()[0];
      return {
        record,
        enterprise,
        timeline: [...record.timeline].sort((a, b) => a.at.localeCompare(b.at)),
        deadlines: record.deadlines.map((d) => ({ ...d, overdue: record.status === 'open' && Date.parse(d.due) < t })),
        nextDeadline,
        tasks: tasks.map((x) => ({
          ...x,
          actionable: x.status === 'open' && mayActOn(p, x),
          overdue: x.status === 'open' && !!x.due && x.due.getTime() < t,
        })),
      };
    },

    loadTask,

    async hasCase(caseId: string): Promise<boolean> {
      return !!(await models.CaseRecord.exists({ _id: caseId }));
    },

    /** Claims an open task of my agency for myself. */
    async claim(p: Principal, taskId: string, ip?: string): Promise<void> {
      if (p.role === 'enterprise') throw new HttpError(403, 'only regulators claim tasks', 'taskId');
      const task = await loadTask(p, taskId);
      if (task.status !== 'open') throw new HttpError(409, `task ${taskId} is ${task.status}`, 'taskId');
      const r = await models.Task.updateOne(
        { _id: taskId, status: 'open', $or: [{ assigneeUserId: null }, { assigneeUserId: p.username }] },
        { $set: { assigneeUserId: p.username } },
      );
      if (r.matchedCount === 0) throw new HttpError(409, `task ${taskId} is already claimed by a colleague`, 'taskId');
      await audit.record(p.username, 'task.claim', taskId, {}, ip);
    },

    /** Assigns an open task of my agency to a colleague of the same agency. */
    async assign(p: Principal, taskId: string, form: unknown, ip?: string): Promise<void> {
      if (p.role === 'enterprise') throw new HttpError(403, 'only regulators assign tasks', 'taskId');
      const parsed = assignForm.safeParse(form);
      if (!parsed.success) throw fromZod(parsed.error);
      const task = await loadTask(p, taskId);
      if (task.status !== 'open') throw new HttpError(409, `task ${taskId} is ${task.status}`, 'taskId');
      const colleague = await models.User.findById(parsed.data.assignee, { agencyId: 1, role: 1, active: 1 }).lean();
      if (
        !colleague ||
        !colleague.active ||
        colleague.role !== 'regulator' ||
        (task.assigneeAgencyId && colleague.agencyId !== task.assigneeAgencyId)
      )
        throw new HttpError(
          400,
          `assignee: ${parsed.data.assignee} is not an active colleague of the task's agency`,
          'assignee',
        );
      await models.Task.updateOne({ _id: taskId, status: 'open' }, { $set: { assigneeUserId: colleague._id } });
      await audit.record(p.username, 'task.assign', taskId, { assignee: colleague._id }, ip);
    },

    /** Colleagues a task may be assigned to. */
    async colleagues(p: Principal) {
      if (!p.agencyId) return [];
      return models.User.find({ agencyId: p.agencyId, active: true }, { displayName: 1 }).limit(200).lean();
    },

    /** My enterprise's devices (suspension request form). */
    async portalDevices(p: Principal) {
      if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'the portal is for enterprise users');
      const [devices, channels] = await Promise.all([
        models.Device.find({ enterpriseId: p.enterpriseId }, { name: 1, status: 1, system: 1 })
          .sort({ _id: 1 })
          .limit(500)
          .lean(),
        models.VideoChannel.find({ enterpriseId: p.enterpriseId }, { name: 1, location: 1 })
          .sort({ _id: 1 })
          .limit(500)
          .lean(),
      ]);
      return { devices, channels };
    },

    /** The enterprise portal's front page: what awaits my enterprise, and my level. */
    async portalHome(p: Principal) {
      if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'the portal is for enterprise users');
      const t = now();
      const [enterprise, tasks, cases, checkIns] = await Promise.all([
        enterpriseFacts(p.enterpriseId),
        models.Task.find({ assigneeEnterpriseId: p.enterpriseId, status: 'open' }).sort({ due: 1 }).limit(100).lean(),
        models.CaseRecord.find({ enterpriseId: p.enterpriseId }, { timeline: 0 })
          .sort({ openedAt: -1 })
          .limit(50)
          .lean(),
        models.CleaningCheckIn.find({ enterpriseId: p.enterpriseId }).sort({ at: -1 }).limit(20).lean(),
      ]);
      return {
        enterprise,
        tasks: tasks.map((x) => ({ ...x, overdue: !!x.due && x.due.getTime() < t })),
        cases,
        checkIns,
      };
    },
  };
}
export type PortalService = ReturnType<typeof createPortalService>;
