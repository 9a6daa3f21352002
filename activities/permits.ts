/**
 * Permit activities: the permit rules in force, the enterprise a permit belongs to, the permits projection
 * (models/Permit.ts) and the sign-off / acceptance tasks of named enterprise users. Idempotent: the
 * projection is an upsert by permit id with each sign-off pushed once per role; a task is keyed by case id +
 * step.
 */
import {
  DEFAULT_PERMIT_POLICY,
  type GasAnalysis,
  type PermitApplication,
  type PermitLevel,
  type PermitPolicy,
  type PermitStatus,
  type SignOffRole,
  type WorkType,
} from '../domain/permits';
import type { CaseType } from '../domain/cases';
import type { Models } from '../models';
import { insertTaskOnce } from './monitoring';
import { permitPolicyInForce } from '../models/Permit';

export interface OpenPermitRecord {
  caseId: string;
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry?: string;
  type: WorkType;
  level: PermitLevel;
  managedLevel: PermitLevel;
  application: PermitApplication;
  policyVersion: number;
  appliedAt: string;
}

export interface RecordPermitInput {
  permitId: string;
  /** First write: the application's facts (set once). */
  open?: OpenPermitRecord;
  status?: PermitStatus;
  validTo?: string;
  number?: string;
  documentId?: string;
  issuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  closedAt?: string;
  signOff?: { role: SignOffRole; by: string; at: string; note?: string };
  /** The analyses recorded so far (replaces the e-permit's list). */
  gasAnalyses?: GasAnalysis[];
}

export interface PermitTaskInput {
  taskId: string;
  caseId: string;
  caseType: CaseType;
  kind: string;
  title: string;
  enterpriseId: string;
  /** The named enterprise user (a signer, the approver, the guardian); absent: anyone of the enterprise. */
  assigneeUserId?: string;
  due?: string;
  form: string;
}

export function createPermitActivities(deps: Pick<Models, 'Permit' | 'PermitPolicy' | 'Enterprise' | 'Task'>) {
  const m = deps;
  return {
    async currentPermitPolicy(): Promise<PermitPolicy> {
      return permitPolicyInForce(m.PermitPolicy, DEFAULT_PERMIT_POLICY);
    },

    async permitEnterprise(input: {
      enterpriseId: string;
    }): Promise<{ enterpriseId: string; name: string; regionPath: string[]; industry: string }> {
      const e = await m.Enterprise.findById(input.enterpriseId, { name: 1, regionPath: 1, industry: 1 }).lean();
      if (!e) throw new Error(`enterprise ${input.enterpriseId} does not exist`);
      return { enterpriseId: e._id, name: e.name, regionPath: e.regionPath, industry: e.industry };
    },

    async recordPermit(input: RecordPermitInput): Promise<void> {
      const now = new Date();
      const set: Record<string, unknown> = { updatedAt: now };
      if (input.status) set.status = input.status;
      if (input.validTo) set.validTo = new Date(input.validTo);
      if (input.number) set.number = input.number;
      if (input.documentId) set.documentId = input.documentId;
      for (const k of ['issuedAt', 'startedAt', 'finishedAt', 'closedAt'] as const)
        if (input[k]) set[k] = new Date(input[k]);
      if (input.gasAnalyses) set['application.gasAnalyses'] = input.gasAnalyses;
      if (input.open) {
        const o = input.open;
        const a = o.application;
        await m.Permit.updateOne(
          { _id: input.permitId },
          {
            $setOnInsert: {
              caseId: o.caseId,
              enterpriseId: o.enterpriseId,
              enterpriseName: o.enterpriseName,
              regionPath: o.regionPath,
              industry: o.industry,
              type: o.type,
              level: o.level,
              managedLevel: o.managedLevel,
              place: a.place,
              content: a.content,
              validFrom: new Date(a.validFrom),
              validTo: new Date(a.validTo),
              status: 'signing',
              application: a,
              signOffs: [],
              policyVersion: o.policyVersion,
              appliedAt: new Date(o.appliedAt),
            },
            $set: { updatedAt: now },
          },
          { upsert: true },
        );
      }
      if (input.signOff) {
        const s = input.signOff;
        // The filter skips a permit that already has this role's sign-off: a retry pushes nothing.
        await m.Permit.updateOne(
          { _id: input.permitId, 'signOffs.role': { $ne: s.role } },
          { $push: { signOffs: { role: s.role, by: s.by, at: new Date(s.at), note: s.note } } },
        );
      }
      const res = await m.Permit.updateOne({ _id: input.permitId }, { $set: set });
      if (res.matchedCount === 0) throw new Error(`permit ${input.permitId} does not exist: record it with open first`);
    },

    async createPermitTask(input: PermitTaskInput): Promise<void> {
      await insertTaskOnce(m, { ...input, assigneeEnterpriseId: input.enterpriseId });
    },
  };
}
export type PermitActivities = ReturnType<typeof createPermitActivities>;
