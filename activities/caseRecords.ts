/**
 * Case records: the MongoDB projection of case workflows. Every write is idempotent — an upsert
 * keyed by case id, a timeline entry keyed by (case id, entry key) — so Temporal's retries are safe.
 */
import type { CaseType, CaseStatus, Deadline, Level, TimelineEntry } from '../domain/cases';
import type { CaseRecordModel } from '../models/CaseRecord';

export interface OpenCaseInput {
  caseId: string;
  type: CaseType;
  title: string;
  enterpriseId?: string;
  regionPath?: string[];
  industry?: string;
  trackingAgencyId?: string;
  parentCaseId?: string;
  level?: Level;
  policyVersion?: number;
  openedAt: string;
  deadlines?: Deadline[];
  entry: TimelineEntry;
}

export interface UpdateCaseInput {
  caseId: string;
  entry?: TimelineEntry;
  status?: CaseStatus;
  level?: Level;
  deadlines?: Deadline[];
  closedAt?: string;
  /** A warning migrated to another escalation-policy version. */
  policyVersion?: number;
}

function nextDue(deadlines: Deadline[] | undefined): Date | undefined {
  if (!deadlines?.length) return undefined;
  return new Date(Math.min(...deadlines.map((d) => Date.parse(d.due))));
}

export function createCaseRecordActivities(deps: { CaseRecord: CaseRecordModel }) {
  const { CaseRecord } = deps;

  async function appendEntry(caseId: string, entry: TimelineEntry): Promise<void> {
    // The filter skips a record that already has this key, so a retry appends nothing.
    await CaseRecord.updateOne({ _id: caseId, 'timeline.key': { $ne: entry.key } }, { $push: { timeline: entry } });
  }

  return {
    async openCase(input: OpenCaseInput): Promise<void> {
      await CaseRecord.updateOne(
        { _id: input.caseId },
        {
          $setOnInsert: {
            type: input.type,
            title: input.title,
            enterpriseId: input.enterpriseId,
            regionPath: input.regionPath,
            industry: input.industry,
            trackingAgencyId: input.trackingAgencyId,
            parentCaseId: input.parentCaseId,
            nextDue: nextDue(input.deadlines),
            level: input.level,
            policyVersion: input.policyVersion,
            status: 'open',
            openedAt: new Date(input.openedAt),
            deadlines: input.deadlines ?? [],
            timeline: [],
          },
          $set: { updatedAt: new Date() },
        },
        { upsert: true },
      );
      await appendEntry(input.caseId, input.entry);
    },

    async updateCase(input: UpdateCaseInput): Promise<void> {
      const set: Record<string, unknown> = { updatedAt: new Date() };
      if (input.status) set.status = input.status;
      if (input.level) set.level = input.level;
      if (input.deadlines) {
        set.deadlines = input.deadlines;
        set.nextDue = nextDue(input.deadlines) ?? null;
      }
      if (input.closedAt) set.closedAt = new Date(input.closedAt);
      if (input.policyVersion !== undefined) set.policyVersion = input.policyVersion;
      // The entry first: a reader that sees the new status also sees the step that caused it.
      if (input.entry) await appendEntry(input.caseId, input.entry);
      const res = await CaseRecord.updateOne({ _id: input.caseId }, { $set: set });
      if (res.matchedCount === 0)
        throw new Error(`case record ${input.caseId} does not exist: openCase must run first`);
    },
  };
}
export type CaseRecordActivities = ReturnType<typeof createCaseRecordActivities>;
