/**
 * Case records: the MongoDB projection of case workflows. Every write is idempotent — an upsert
 * keyed by case id, a timeline entry keyed by (case id, entry key) — so Temporal's retries are safe.
 */
import type { CaseType, CaseStatus, Deadline, Level, TimelineEntry } from '../domain/cases';
import type { CaseRecordModel } from '../models/CaseRecord';
import type { RecomputeTrigger } from '../domain/risk/distribution';

/** Case changes that are inputs of the risk model (domain/risk): an alarm or an offline source opened or closed, feedback on a warning. */
function riskTriggerOf(
  type: string | undefined,
  change: 'opened' | 'closed' | 'feedback',
): RecomputeTrigger | undefined {
  if (type === 'monitoring_alarm')
    return change === 'opened' ? 'alarm_opened' : change === 'closed' ? 'alarm_closed' : undefined;
  if (type === 'device_offline')
    return change === 'opened' ? 'device_offline' : change === 'closed' ? 'device_online' : undefined;
  if (type === 'risk_warning' && change === 'feedback') return 'warning_feedback';
  return undefined;
}

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

export function createCaseRecordActivities(deps: {
  CaseRecord: CaseRecordModel;
  /** Asks for the enterprise's risk recompute when a case change is one of the model's inputs. */
  onCaseChange?: (enterpriseId: string, trigger: RecomputeTrigger) => Promise<void>;
}) {
  const { CaseRecord } = deps;
  async function caseChanged(enterpriseId: string | undefined, trigger: RecomputeTrigger | undefined) {
    if (enterpriseId && trigger && deps.onCaseChange) await deps.onCaseChange(enterpriseId, trigger);
  }

  async function appendEntry(caseId: string, entry: TimelineEntry): Promise<void> {
    // The filter skips a record that already has this key, so a retry appends nothing.
    await CaseRecord.updateOne({ _id: caseId, 'timeline.key': { $ne: entry.key } }, { $push: { timeline: entry } });
  }

  return {
    async openCase(input: OpenCaseInput): Promise<void> {
      const res = await CaseRecord.updateOne(
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
            // The opening entry inside the insert: one command opens the case (a case opening is the storm's unit).
            timeline: [input.entry],
          },
          $set: { updatedAt: new Date() },
        },
        { upsert: true },
      );
      // A retry (or a record someone opened first) gets the entry by key, at most once.
      if (!res.upsertedCount) await appendEntry(input.caseId, input.entry);
      await caseChanged(input.enterpriseId, riskTriggerOf(input.type, 'opened'));
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
      // The entry and the change in one command (a reader that sees the new status also sees the step that
      // caused it); the filter skips a record that already has the entry (a retry), which then gets the change alone.
      const res = input.entry
        ? await CaseRecord.updateOne(
            { _id: input.caseId, 'timeline.key': { $ne: input.entry.key } },
            { $set: set, $push: { timeline: input.entry } },
          )
        : undefined;
      if (!res?.matchedCount) {
        const again = await CaseRecord.updateOne({ _id: input.caseId }, { $set: set });
        if (again.matchedCount === 0)
          throw new Error(`case record ${input.caseId} does not exist: openCase must run first`);
      }
      const change = input.status === 'closed' ? 'closed' : input.entry?.kind === 'feedback' ? 'feedback' : undefined;
      if (change && deps.onCaseChange) {
        const c = await CaseRecord.findById(input.caseId, { type: 1, enterpriseId: 1 }).lean();
        await caseChanged(c?.enterpriseId, riskTriggerOf(c?.type, change));
      }
    },
  };
}
export type CaseRecordActivities = ReturnType<typeof createCaseRecordActivities>;
