/**
 * Special-work permits (特殊作业票) for pages and API alike: an enterprise applies (the e-permit checked
 * against the rules in force, then a Permit workflow `permit/<permitId>` started with that policy version),
 * takes the steps of the work (each one update of the workflow, refused with the workflow's reason), and
 * reads its permits; regulators read the permits of their jurisdiction (the platform feed) and the counts
 * of active permits by type and level. Reads come from the `permits` projection, cut by jurisdiction.
 */
import crypto from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Principal } from '../../domain/access';
import { enterpriseFilter } from '../../domain/access';
import { compactInstant } from '../../domain/cases';
import {
  ACTIVE_PERMIT_STATUSES,
  DEFAULT_PERMIT_POLICY,
  applicationProblems,
  managedLevel,
  permitCaseId,
  permitPolicyProblems,
  ruleOf,
  type PermitApplication,
  type PermitPolicy,
} from '../../domain/permits';
import type { Models } from '../../models';
import { permitPolicyInForce, type PermitDoc } from '../../models/Permit';
import {
  acceptPermitUpdate,
  cancelPermitUpdate,
  decideExtensionUpdate,
  explainConductAlarmUpdate,
  finishWorkUpdate,
  guardianCheckInUpdate,
  permit,
  recordGasAnalysisUpdate,
  requestExtensionUpdate,
  resumeWorkUpdate,
  signOffPermitUpdate,
  startWorkUpdate,
  suspendWorkUpdate,
  type PermitState,
} from '../../workflows/permit';
import { caseSearchAttributes } from '../../config/searchAttributes';
import type { AuditService } from '../access/audit';
import { storeVersion, versionHistory, type VersionLine } from '../admin/versions';
import { HttpError } from '../errors';
import {
  cancelForm,
  conductExplanationForm,
  decisionForm,
  extensionForm,
  gasAnalysisForm,
  noteForm,
  signOffForm,
  suspendForm,
  type PermitApplicationForm,
  type PermitPolicyForm,
  type PermitQuery,
  type PermitStep,
  type PermitView,
} from './schemas';

export interface PermitServiceDeps {
  temporal: Client;
  models: Models;
  taskQueue: string;
  audit: AuditService;
}

/** The jurisdiction filter on permits (they carry the enterprise id and region path). */
function permitFilter(p: Principal): Record<string, unknown> {
  if (p.role === 'enterprise') return { enterpriseId: p.enterpriseId ?? '\u0000none' };
  const f = enterpriseFilter(p);
  // Regulators see by region; the industry scope is applied through the permit's industry.
  return 'industry' in f ? { regionPath: f.regionPath, industry: f.industry } : f;
}

export function toPermitView(d: PermitDoc): PermitView {
  return {
    permitId: d._id,
    caseId: d.caseId,
    number: d.number,
    enterpriseId: d.enterpriseId,
    enterpriseName: d.enterpriseName,
    regionPath: d.regionPath,
    type: d.type,
    level: d.level,
    managedLevel: d.managedLevel,
    status: d.status,
    place: d.place,
    content: d.content,
    validFrom: d.validFrom.toISOString(),
    validTo: d.validTo.toISOString(),
    appliedAt: d.appliedAt.toISOString(),
    issuedAt: d.issuedAt?.toISOString(),
    signOffs: (d.signOffs ?? []).map((s) => ({ role: s.role, by: s.by, at: s.at.toISOString(), note: s.note })),
    documentUrl: d.documentId ? `/api/v1/documents/${encodeURIComponent(d.documentId)}` : undefined,
    application: d.application as unknown as Record<string, unknown>,
  };
}

export function createPermitService(deps: PermitServiceDeps) {
  const { temporal, models, audit } = deps;

  function refusal(err: unknown): never {
    if (err instanceof WorkflowUpdateFailedError) {
      const msg = err.cause?.message ?? err.message;
      throw new HttpError(409, msg, /^(\w+)[.:]/.exec(msg)?.[1] || undefined);
    }
    if (err instanceof WorkflowNotFoundError) throw new HttpError(409, 'the permit is closed');
    throw err;
  }

  async function visible(p: Principal, permitId: string): Promise<PermitDoc> {
    const d = await models.Permit.findOne({ _id: permitId, ...permitFilter(p) }).lean<PermitDoc>();
    if (!d) throw new HttpError(404, `no permit ${permitId} in your jurisdiction`);
    return d;
  }

  return {
    /** The permit rules in force (GB 30871-2022 defaults until an administrator stores a version). */
    currentPolicy: (): Promise<PermitPolicy> => permitPolicyInForce(models.PermitPolicy, DEFAULT_PERMIT_POLICY),

    /** One version of the permit rules (the shipped default is v1 until stored); 404 naming `version`. */
    async policyVersion(version: number): Promise<PermitPolicy> {
      const doc = await models.PermitPolicy.findById(version, { updatedBy: 0, updatedAt: 0 }).lean();
      if (doc) return { version: doc.version, rules: doc.rules };
      if (version === DEFAULT_PERMIT_POLICY.version) return DEFAULT_PERMIT_POLICY;
      throw new HttpError(404, `no permit rules version ${version}`, 'version');
    },

    /** The versions of the permit rules, newest first; the shipped default (v1, not stored) last when nobody replaced it. */
    async policyHistory(): Promise<VersionLine[]> {
      return versionHistory(models.PermitPolicy, DEFAULT_PERMIT_POLICY.version);
    },

    /** A new version of the permit rules; permits applied for before keep theirs. */
    async setPolicy(p: Principal, form: PermitPolicyForm, ip?: string): Promise<PermitPolicy> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the permit rules');
      const current = await permitPolicyInForce(models.PermitPolicy, DEFAULT_PERMIT_POLICY);
      const policy = { version: current.version + 1, rules: form.rules } as PermitPolicy;
      return storeVersion(
        { model: models.PermitPolicy, audit },
        { name: 'permit_policy', problems: permitPolicyProblems(policy) },
        policy,
        p,
        ip,
      );
    },

    async list(p: Principal, q: PermitQuery): Promise<PermitView[]> {
      const f: Record<string, unknown> = { ...permitFilter(p) };
      const and: Record<string, unknown>[] = [];
      if (q.region) and.push({ regionPath: q.region });
      if (q.type) f.type = q.type;
      if (q.level) f.managedLevel = q.level;
      if (q.status) f.status = q.status === 'active' ? { $in: ACTIVE_PERMIT_STATUSES } : q.status;
      if (q.enterpriseId) and.push({ enterpriseId: q.enterpriseId });
      if (q.before) {
        const t = Date.parse(q.before);
        if (Number.isNaN(t)) throw new HttpError(400, 'before: must be an ISO-8601 instant', 'before');
        f.appliedAt = { $lt: new Date(t) };
      }
      const docs = await models.Permit.find(and.length ? { $and: [f, ...and] } : f, { 'application.measures': 0 })
        .sort({ appliedAt: -1 })
        .limit(q.limit)
        .lean<PermitDoc[]>();
      return docs.map(toPermitView);
    },

    async get(p: Principal, permitId: string): Promise<PermitView> {
      return toPermitView(await visible(p, permitId));
    },

    /** The permit and its case timeline, for the permit page. */
    async page(p: Principal, permitId: string) {
      const d = await visible(p, permitId);
      const rec = await models.CaseRecord.findById(d.caseId, { timeline: 1 }).lean();
      // A monitoring alarm of the same enterprise while the permit is live is shown beside it (a gas alarm may mean: stop the work).
      const live = (ACTIVE_PERMIT_STATUSES as readonly string[]).includes(d.status);
      const alarms = live
        ? await models.CaseRecord.find(
            { type: 'monitoring_alarm', status: 'open', enterpriseId: d.enterpriseId },
            { title: 1, openedAt: 1 },
          )
            .sort({ openedAt: -1 })
            .limit(20)
            .lean()
        : [];
      return {
        permit: toPermitView(d),
        documentId: d.documentId,
        application: d.application,
        timeline: rec?.timeline ?? [],
        alarms,
      };
    },

    /**
     * An enterprise's active permits (issued to awaiting acceptance) the caller may see, newest first: shown
     * on a monitoring alarm's case page, as a gas alarm during hot work or entry may mean stopping the work.
     */
    async activeForEnterprise(p: Principal, enterpriseId: string): Promise<PermitView[]> {
      const docs = await models.Permit.find({
        ...permitFilter(p),
        enterpriseId,
        status: { $in: ACTIVE_PERMIT_STATUSES },
      })
        .sort({ validFrom: -1 })
        .limit(20)
        .lean<PermitDoc[]>();
      return docs.map(toPermitView);
    },

    /** Active permits (issued, in progress, suspended, awaiting acceptance) in the caller's jurisdiction, by type and managed level. */
    async activeCounts(
      p: Principal,
    ): Promise<{ active: number; byType: Record<string, number>; byLevel: Record<string, number> }> {
      const docs = await models.Permit.find(
        { ...permitFilter(p), status: { $in: ACTIVE_PERMIT_STATUSES } },
        { type: 1, managedLevel: 1 },
      )
        .limit(10_000)
        .lean();
      const byType: Record<string, number> = {};
      const byLevel: Record<string, number> = {};
      for (const d of docs) {
        byType[d.type] = (byType[d.type] ?? 0) + 1;
        byLevel[d.managedLevel] = (byLevel[d.managedLevel] ?? 0) + 1;
      }
      return { active: docs.length, byType, byLevel };
    },

    async apply(p: Principal, form: PermitApplicationForm, ip?: string): Promise<{ permitId: string; caseId: string }> {
      if (p.role !== 'enterprise' && p.role !== 'admin')
        throw new HttpError(403, 'an enterprise applies for its own permits');
      const enterpriseId = p.role === 'enterprise' ? p.enterpriseId : form.enterpriseId;
      if (!enterpriseId) throw new HttpError(400, 'enterpriseId: name the enterprise', 'enterpriseId');
      if (p.role === 'enterprise' && form.enterpriseId && form.enterpriseId !== enterpriseId)
        throw new HttpError(403, 'an enterprise applies for its own permits', 'enterpriseId');
      if (!(await models.Enterprise.exists({ _id: enterpriseId })))
        throw new HttpError(400, `enterpriseId: no enterprise ${enterpriseId}`, 'enterpriseId');
      const app: PermitApplication = { ...form, enterpriseId, appliedBy: p.username };
      const policy = await permitPolicyInForce(models.PermitPolicy, DEFAULT_PERMIT_POLICY);
      const problems = applicationProblems(
        app,
        ruleOf(policy, app.type, managedLevel(app.type, app.level, app.upgradeReasons)),
      );
      if (problems.length) throw new HttpError(400, `${problems[0].field}: ${problems[0].message}`, problems[0].field);
      const permitId = `${enterpriseId}-${compactInstant(new Date().toISOString())}-${crypto.randomBytes(2).toString('hex')}`;
      const caseId = permitCaseId(permitId);
      await temporal.workflow.start(permit, {
        taskQueue: deps.taskQueue,
        workflowId: caseId,
        args: [{ permitId, application: app, policy }],
        typedSearchAttributes: caseSearchAttributes('work_permit', enterpriseId),
      });
      // The projection is written by the workflow's first activities: wait for it (bounded) so the answer can be read at once.
      const deadline = Date.now() + 15_000;
      while (!(await models.Permit.exists({ _id: permitId }))) {
        if (Date.now() > deadline)
          throw new HttpError(
            503,
            `permit ${permitId} was started but is not recorded yet; read it again shortly`,
            undefined,
            { 'Retry-After': '5' },
          );
        await new Promise((r) => setTimeout(r, 50));
      }
      await audit.record(
        p.username,
        'permit.applied',
        caseId,
        { type: app.type, level: app.level, place: app.place },
        ip,
      );
      return { permitId, caseId };
    },

    /** One step of the work, by an enterprise user of the permit's enterprise; the workflow decides whether it may be taken now. */
    async step(p: Principal, permitId: string, step: PermitStep, body: unknown, ip?: string): Promise<PermitState> {
      if (p.role !== 'enterprise') throw new HttpError(403, 'the steps of a permit are the enterprise’s');
      const d = await visible(p, permitId);
      const h = temporal.workflow.getHandle(d.caseId);
      const by = p.username;
      let state: PermitState;
      try {
        switch (step) {
          case 'sign-off':
            state = await h.executeUpdate(signOffPermitUpdate, { args: [{ ...signOffForm.parse(body), by }] });
            break;
          case 'gas-analysis':
            state = await h.executeUpdate(recordGasAnalysisUpdate, {
              args: [{ analysis: gasAnalysisForm.parse(body), by }],
            });
            break;
          case 'start':
            state = await h.executeUpdate(startWorkUpdate, { args: [{ by }] });
            break;
          case 'check-in':
            state = await h.executeUpdate(guardianCheckInUpdate, { args: [{ by }] });
            break;
          case 'suspend':
            state = await h.executeUpdate(suspendWorkUpdate, { args: [{ ...suspendForm.parse(body), by }] });
            break;
          case 'resume':
            state = await h.executeUpdate(resumeWorkUpdate, { args: [{ by }] });
            break;
          case 'extension':
            state = await h.executeUpdate(requestExtensionUpdate, { args: [{ ...extensionForm.parse(body), by }] });
            break;
          case 'extension-decision':
            state = await h.executeUpdate(decideExtensionUpdate, { args: [{ ...decisionForm.parse(body), by }] });
            break;
          case 'finish':
            state = await h.executeUpdate(finishWorkUpdate, { args: [{ by }] });
            break;
          case 'acceptance':
            state = await h.executeUpdate(acceptPermitUpdate, { args: [{ ...noteForm.parse(body), by }] });
            break;
          case 'cancel':
            state = await h.executeUpdate(cancelPermitUpdate, { args: [{ ...cancelForm.parse(body), by }] });
            break;
        }
      } catch (err) {
        refusal(err);
      }
      await audit.record(
        by,
        `permit.${step}`,
        d.caseId,
        typeof body === 'object' && body ? (body as Record<string, unknown>) : undefined,
        ip,
      );
      return state;
    },

    /** The enterprise explains a conduct alarm (作业违规报警) of one of its permits. */
    async explainConductAlarm(p: Principal, alarmCaseId: string, body: unknown, ip?: string): Promise<void> {
      if (p.role !== 'enterprise') throw new HttpError(403, 'the enterprise explains its conduct alarms');
      const rec = await models.CaseRecord.findOne(
        { _id: alarmCaseId, type: 'permit_conduct_alarm', enterpriseId: p.enterpriseId ?? '\u0000none' },
        { _id: 1 },
      ).lean();
      if (!rec) throw new HttpError(404, `no conduct alarm ${alarmCaseId} of your enterprise`);
      try {
        await temporal.workflow.getHandle(alarmCaseId).executeUpdate(explainConductAlarmUpdate, {
          args: [{ ...conductExplanationForm.parse(body), by: p.username }],
        });
      } catch (err) {
        refusal(err);
      }
      await audit.record(p.username, 'permit.conduct_explained', alarmCaseId, undefined, ip);
    },
  };
}
export type PermitService = ReturnType<typeof createPermitService>;
