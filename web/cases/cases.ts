/**
 * Cases through the API: lists and one case from the case_records projection (by jurisdiction),
 * level changes, enterprise feedback (with attachments: the enterprise's own uploads) and an
 * administrator's policy migration sent to the risk-warning workflow as updates.
 * The one check of feedback attachments (`checkFeedbackAttachments`) is shared with the task
 * completion (tasks/service.ts), and the page's files are stored here (`storeFeedbackFiles`).
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { text } from '../schemas';
import type { Principal } from '../../domain/access';
import { CASE_STATUSES, CASE_TYPES, LEVELS } from '../../domain/cases';
import type { Models } from '../../models';
import type { CaseRecordDoc } from '../../models/CaseRecord';
import {
  MAX_FEEDBACK_ATTACHMENTS,
  RiskWarningState,
  changeLevelUpdate,
  migratePolicyUpdate,
  warningFeedbackUpdate,
} from '../../workflows/riskWarning';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import type { PolicyService } from '../admin/policies';
import { sniff, type UploadService } from '../portal/uploads';

export const caseQuery = z.object({
  type: z.enum(CASE_TYPES, { error: `must be one of ${CASE_TYPES.join(', ')}` }).optional(),
  enterpriseId: z.string().trim().min(1).optional(),
  status: z.enum(CASE_STATUSES, { error: 'must be open or closed' }).optional(),
  level: z.enum(LEVELS, { error: `must be one of ${LEVELS.join(', ')}` }).optional(),
  overdue: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});
export type CaseQuery = z.infer<typeof caseQuery>;

export const levelChangeForm = z.object({
  level: z.enum([...LEVELS, 'clear'] as const, { error: 'must be red, orange, yellow, blue or clear' }),
  reason: text(1000),
});
export type LevelChangeForm = z.infer<typeof levelChangeForm>;

export const warningFeedbackForm = z.object({
  verification: text(2000),
  cause: text(2000),
  measures: text(2000),
  responsiblePerson: text(100),
  accidentFound: z.boolean({ error: 'must be true or false' }),
});
export type WarningFeedbackForm = z.infer<typeof warningFeedbackForm>;

/** Attachments of a feedback: upload ids (each must also be an upload of the case's enterprise: `checkFeedbackAttachments`). */
export const feedbackAttachments = z
  .array(z.string().regex(/^[0-9a-f]{32}$/, 'must be upload ids'), { error: 'must be a list of upload ids' })
  .max(MAX_FEEDBACK_ATTACHMENTS, `must be at most ${MAX_FEEDBACK_ATTACHMENTS} files`);

/**
 * The feedback the API accepts: the five fields plus attachments (upload ids, each checked to belong
 * to the case's enterprise). The task form (`taskForms.warningFeedback`) keeps the five fields; a task
 * completion passes attachments through the same check (tasks/service.ts).
 */
export const warningFeedbackWithAttachmentsForm = warningFeedbackForm.extend({
  attachments: feedbackAttachments.optional(),
});

/** Files a feedback page may attach at once (photos of the site, a PDF report). */
export const MAX_PAGE_FEEDBACK_FILES = 3;

/**
 * The one check of feedback attachments, for the API's feedback and a task completion alike: a list of
 * upload ids, each an existing upload of the case's enterprise (not merely one the caller may see).
 * 400 naming `attachments`; the ids without repeats (undefined when none).
 */
export async function checkFeedbackAttachments(
  uploads: UploadService,
  p: Principal,
  enterpriseId: string | undefined,
  given: unknown,
): Promise<string[] | undefined> {
  if (given === undefined) return undefined;
  const parsed = feedbackAttachments.safeParse(given);
  if (!parsed.success)
    throw new HttpError(
      400,
      `attachments: ${parsed.error.issues[0]?.message ?? 'must be a list of upload ids'}`,
      'attachments',
    );
  const ids = [...new Set(parsed.data)];
  if (!ids.length) return undefined;
  for (const a of ids) {
    const meta = await uploads.open(p, a).then(
      (u) => u.meta,
      () => undefined,
    );
    if (!meta || !enterpriseId || meta.enterpriseId !== enterpriseId)
      throw new HttpError(400, `attachments: ${a} is not an upload of this enterprise`, 'attachments');
  }
  return ids;
}
export type WarningFeedbackWithAttachmentsForm = z.infer<typeof warningFeedbackWithAttachmentsForm>;

export const policyMigrationForm = z.object({
  version: z
    .number({ error: 'must be a policy version number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1'),
  reason: text(1000),
});
export type PolicyMigrationForm = z.infer<typeof policyMigrationForm>;

export interface CaseView {
  id: string;
  type: string;
  enterpriseId?: string;
  level?: string;
  status: string;
  policyVersion?: number;
  parentCaseId?: string;
  openedAt: string;
  closedAt?: string;
  deadlines: { kind: string; due: string }[];
  timeline: {
    at: string;
    kind: string;
    actor: string;
    recipients: string[];
    detail?: string;
    attachments?: string[];
  }[];
}

/** The case-record filter a principal may see (case records carry enterpriseId, regionPath, industry). */
export function caseFilter(p: Principal): Record<string, unknown> {
  switch (p.role) {
    case 'admin':
      return {};
    case 'enterprise':
      return { enterpriseId: p.enterpriseId ?? '\u0000none' };
    case 'regulator':
      if (!p.scope) return { _id: '\u0000none' };
      return p.scope.industries.length
        ? { regionPath: p.scope.regionId, industry: { $in: p.scope.industries } }
        : { regionPath: p.scope.regionId };
  }
}

/**
 * The workflow of a case: a risk warning's, a monitoring alarm's and a device fault's record id is its workflow id
 * (one case at a time: `risk-warning/<enterprise>`, `alarm/<device>/<indicator>`, `fault/<device>/<indicator>`) plus
 * the opening instant.
 */
export function workflowIdOf(c: Pick<CaseRecordDoc, '_id' | 'type'>): string {
  return WITH_OPENING_INSTANT.has(c.type) ? c._id.slice(0, c._id.lastIndexOf('/')) : c._id;
}
const WITH_OPENING_INSTANT = new Set<string>(['risk_warning', 'monitoring_alarm', 'device_fault']);

export function updateRefusal(err: unknown, field?: string): never {
  if (err instanceof WorkflowUpdateFailedError) {
    const msg = err.cause?.message ?? err.message;
    throw new HttpError(409, msg, /^(\w+):/.exec(msg)?.[1] || field);
  }
  // The server answers "not found" to a message for a run that has ended: the case is closed, not missing (409, never 404).
  if (err instanceof WorkflowNotFoundError)
    throw new HttpError(409, 'the case is closed: its workflow has ended', field);
  throw err;
}

/** Waits (briefly) until the case record shows what an update asked for, so a client reading right after sees it. */
export async function settle(
  models: Pick<Models, 'CaseRecord'>,
  id: string,
  done: (c: CaseRecordDoc) => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await models.CaseRecord.findById(id).lean<CaseRecordDoc>();
    if (!c || done(c) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function createCaseService(deps: {
  temporal: Client;
  models: Models;
  audit: AuditService;
  now?: () => number;
  policies: PolicyService;
  uploads: UploadService;
}) {
  const { temporal, models, audit } = deps;
  const now = deps.now ?? Date.now;

  const view = (c: CaseRecordDoc): CaseView => ({
    id: c._id,
    type: c.type,
    enterpriseId: c.enterpriseId,
    level: c.level,
    status: c.status,
    policyVersion: c.policyVersion,
    parentCaseId: c.parentCaseId,
    openedAt: c.openedAt.toISOString(),
    closedAt: c.closedAt?.toISOString(),
    deadlines: (c.deadlines ?? []).map((d) => ({ kind: d.kind, due: d.due })),
    timeline: (c.timeline ?? []).map((t) => ({
      at: t.at,
      kind: t.kind,
      actor: t.actor,
      recipients: t.recipients ?? [],
      detail: t.detail,
      ...(t.attachments?.length ? { attachments: t.attachments } : {}),
    })),
  });

  /** The case-record filter of a list query within the principal's jurisdiction; undefined when nothing can match. */
  function listFilter(p: Principal, q: CaseQuery): Record<string, unknown> | undefined {
    const filter: Record<string, unknown> = { ...caseFilter(p) };
    if (q.type) filter.type = q.type;
    if (q.enterpriseId) {
      if (filter.enterpriseId && filter.enterpriseId !== q.enterpriseId) return undefined;
      filter.enterpriseId = q.enterpriseId;
    }
    if (q.status) filter.status = q.status;
    if (q.level) filter.level = q.level;
    if (q.overdue === 'true') {
      filter.status = 'open';
      filter.nextDue = { $lt: new Date(now()) };
    } else if (q.overdue === 'false')
      filter.$or = [{ nextDue: null }, { nextDue: { $gte: new Date(now()) } }, { status: 'closed' }];
    return filter;
  }

  async function load(p: Principal, id: string): Promise<CaseRecordDoc> {
    const c = await models.CaseRecord.findOne({ _id: id, ...caseFilter(p) }).lean<CaseRecordDoc>();
    if (!c) throw new HttpError(404, `no case ${id} in your jurisdiction`, 'id');
    return c;
  }

  async function openWarning(p: Principal, id: string): Promise<CaseRecordDoc> {
    const c = await load(p, id);
    if (c.type !== 'risk_warning') throw new HttpError(400, `case ${id} is a ${c.type}, not a risk warning`, 'id');
    if (c.status !== 'open') throw new HttpError(409, `case ${id} is closed`, 'id');
    return c;
  }

  return {
    async list(p: Principal, q: CaseQuery): Promise<Omit<CaseView, 'timeline'>[]> {
      const filter = listFilter(p, q);
      if (!filter) return [];
      const docs = await models.CaseRecord.find(filter, { timeline: 0 })
        .sort({ openedAt: -1 })
        .limit(200)
        .lean<CaseRecordDoc[]>();
      return docs.map((d) => {
        const { timeline: _t, ...rest } = view({ ...d, timeline: [] });
        return rest;
      });
    },

    /** The same list (filters, jurisdiction, newest first) without its 200 cap, read as it is written (exports). */
    async *stream(p: Principal, q: CaseQuery): AsyncIterable<Omit<CaseRecordDoc, 'timeline'>> {
      const filter = listFilter(p, q);
      if (!filter) return;
      yield* models.CaseRecord.find(filter, { timeline: 0 })
        .sort({ openedAt: -1 })
        .lean<Omit<CaseRecordDoc, 'timeline'>[]>()
        .cursor({ batchSize: 500 });
    },

    async get(p: Principal, id: string): Promise<CaseView> {
      return view(await load(p, id));
    },

    async changeLevel(p: Principal, id: string, form: LevelChangeForm, ip?: string): Promise<RiskWarningState> {
      if (p.role !== 'admin' && p.role !== 'regulator')
        throw new HttpError(403, 'only a regulator or an administrator may change a warning level');
      const c = await openWarning(p, id);
      try {
        const state = await temporal.workflow
          .getHandle(workflowIdOf(c))
          .executeUpdate(changeLevelUpdate, { args: [{ ...form, by: p.username, caseId: c._id }] });
        await settle(models, id, (r) => (form.level === 'clear' ? r.status === 'closed' : r.level === form.level));
        await audit.record(
          p.username,
          form.level === 'clear' ? 'warning.cleared' : 'warning.level_changed',
          id,
          { ...form },
          ip,
        );
        return state;
      } catch (err) {
        return updateRefusal(err, 'level');
      }
    },

    async feedback(
      p: Principal,
      id: string,
      form: WarningFeedbackWithAttachmentsForm,
      ip?: string,
    ): Promise<RiskWarningState> {
      const c = await openWarning(p, id);
      if (!(p.role === 'admin' || (p.role === 'enterprise' && p.enterpriseId === c.enterpriseId)))
        throw new HttpError(403, 'only a user of the enterprise may file its feedback');
      const attachments = await checkFeedbackAttachments(deps.uploads, p, c.enterpriseId, form.attachments);
      form = { ...form, attachments };
      if (!attachments) delete form.attachments;
      try {
        const before = c.timeline.filter((t) => t.kind === 'feedback').length;
        const state = await temporal.workflow
          .getHandle(workflowIdOf(c))
          .executeUpdate(warningFeedbackUpdate, { args: [{ ...form, by: p.username, caseId: c._id }] });
        await settle(models, id, (r) => r.timeline.filter((t) => t.kind === 'feedback').length > before);
        await audit.record(p.username, 'warning.feedback', id, { ...form }, ip);
        return state;
      } catch (err) {
        return updateRefusal(err, 'verification');
      }
    },

    /**
     * The files of a feedback page (multipart), stored as uploads of the case's enterprise: the feedback's
     * own fields are checked first, then every file's type by its content, so a refusal (400 naming the
     * field, `attachments` for a file) stores nothing. The upload ids, for the task completion to attach.
     */
    async storeFeedbackFiles(
      p: Principal,
      caseId: string,
      form: Record<string, unknown>,
      files: { name: string; data: Buffer }[],
    ): Promise<string[]> {
      if (!files.length) return [];
      const c = await openWarning(p, caseId);
      if (!(p.role === 'admin' || (p.role === 'enterprise' && p.enterpriseId === c.enterpriseId)))
        throw new HttpError(403, 'only a user of the enterprise may attach files to its feedback');
      const fields = warningFeedbackForm.safeParse(form);
      if (!fields.success) throw fromZod(fields.error);
      if (files.length > MAX_PAGE_FEEDBACK_FILES)
        throw new HttpError(400, `attachments: at most ${MAX_PAGE_FEEDBACK_FILES} files`, 'attachments');
      const bad = files.find((f) => !sniff(f.data.subarray(0, 16)));
      if (bad)
        throw new HttpError(
          400,
          `attachments: ${bad.name} is not a JPEG, PNG or PDF file (checked by content, not name)`,
          'attachments',
        );
      const ids: string[] = [];
      for (const f of files)
        ids.push(
          (await deps.uploads.store(p, c.enterpriseId!, { field: 'attachments', name: f.name, data: f.data }, caseId))
            .id,
        );
      return ids;
    },

    /**
     * An administrator moves a running warning to another stored policy version (a running warning
     * otherwise keeps its own): the workflow swaps the ladder and re-plans the current level's clocks.
     */
    async migratePolicy(p: Principal, id: string, form: PolicyMigrationForm, ip?: string): Promise<RiskWarningState> {
      if (p.role !== 'admin')
        throw new HttpError(403, 'only an administrator may migrate a warning to another policy version');
      const c = await load(p, id);
      if (c.type !== 'risk_warning') throw new HttpError(400, `case ${id} is a ${c.type}, not a risk warning`, 'id');
      if (c.status !== 'open') throw new HttpError(409, `case ${id} is closed`, 'id');
      const policy = await deps.policies.escalationVersion(form.version);
      if (c.policyVersion === form.version)
        throw new HttpError(409, `version: the warning already runs under policy version ${form.version}`, 'version');
      try {
        const state = await temporal.workflow.getHandle(workflowIdOf(c)).executeUpdate(migratePolicyUpdate, {
          args: [{ policy, reason: form.reason, by: p.username, caseId: c._id }],
        });
        await settle(models, id, (r) => r.policyVersion === form.version);
        await audit.record(
          p.username,
          'warning.policy_migrated',
          id,
          { from: c.policyVersion, to: form.version, reason: form.reason },
          ip,
        );
        return state;
      } catch (err) {
        return updateRefusal(err, 'version');
      }
    },
  };
}
export type CaseService = ReturnType<typeof createCaseService>;
