/**
 * Alarm disposal (处置反馈) and suspension requests (停用申报) from the web: validate, check the caller
 * may act for the enterprise, message the workflow, record the audit entry. Case state stays in the
 * workflows; this service reads projections only.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import crypto from 'node:crypto';
import { z } from 'zod';
import { text } from '../schemas';
import type { Principal } from '../../domain/access';
import { AlarmPolicy, DEFAULT_ALARM_POLICY, alarmPolicyProblems, faultRepairWithinOf } from '../../domain/alarms';
import { caseIds } from '../../domain/cases';
import { DEFAULT_OFFLINE_POLICY, OfflinePolicy, SUSPENSION_REASONS, offlinePolicyProblems } from '../../domain/offline';
import { offlinePolicyInForce } from '../../models/OfflinePolicy';
import type { Models } from '../../models';
import type { SuspensionRequestDoc } from '../../models/SuspensionRequest';
import {
  MonitoringAlarmState,
  fileAlarmDisposalUpdate,
  monitoringAlarmStateQuery,
} from '../../workflows/monitoringAlarm';
import { SuspensionRequestState, decideSuspensionUpdate, suspensionRequest } from '../../workflows/suspensionRequest';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';
import { ENTERPRISE_ID_ATTRIBUTE } from '../../config/searchAttributes';
import { storeVersion } from '../admin/versions';

/** One schema for the portal form and the API payload. */
export const alarmDisposalForm = z.object({
  cause: text(1000),
  measures: text(2000),
  responsible: text(100),
});
export type AlarmDisposalForm = z.infer<typeof alarmDisposalForm>;

export const suspensionRequestForm = z
  .object({
    deviceCodes: z.array(z.string().trim().min(1)).max(100, 'at most 100 devices').default([]),
    /** Video channels (视频通道) suspended too: 离线 covers sensors and video alike (002 第二十九至三十一条). */
    channelIds: z.array(z.string().trim().min(1)).max(100, 'at most 100 video channels').default([]),
    reason: z.enum(SUSPENSION_REASONS, { error: `must be one of ${SUSPENSION_REASONS.join(', ')}` }),
    detail: z.string().trim().max(1000).optional(),
    from: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant' }),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant' }),
  })
  .refine((v) => v.deviceCodes.length + v.channelIds.length > 0, {
    error: 'must name at least one device or video channel',
    path: ['deviceCodes'],
  })
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { error: 'must be after from', path: ['to'] });
export type SuspensionRequestForm = z.infer<typeof suspensionRequestForm>;

/** An administrator's new alarm policy (the version is assigned by the service). */
export const alarmPolicyForm = z.object({
  debounceReadings: z.number().int().min(1),
  deadbandFraction: z.number().min(0).max(0.99),
  normalReadings: z.number().int().min(1),
  disposalWithin: z.string().trim(),
  frozenReadings: z.number().int().min(2),
  burstAlarmsPerDay: z.number().int().min(1),
  /** Kept from the version in force when not given. */
  faultRepairWithin: z.string().trim().optional(),
});
export type AlarmPolicyForm = z.infer<typeof alarmPolicyForm>;

/** An administrator's new offline policy (the version is assigned by the service). */
export const offlinePolicyForm = z.object({
  missedIntervals: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100'),
  districtInterviewAfter: z.string().trim(),
  regionInterviewAfter: z.string().trim(),
  sweepEvery: z.string().trim(),
});
export type OfflinePolicyForm = z.infer<typeof offlinePolicyForm>;

export const suspensionDecisionForm = z.object({
  approved: z.boolean({ error: 'must be true or false' }),
  note: z.string().trim().max(1000).optional(),
});

export function createAlarmService(deps: {
  temporal: Client;
  models: Models;
  taskQueue: string;
  audit: AuditService;
  policyChanged?: () => void;
  /** Told each stored version of the offline rules: the offline-sweep schedule follows its interval. */
  offlinePolicyStored?: (policy: OfflinePolicy) => Promise<unknown>;
}) {
  const { temporal, models, audit } = deps;

  function enterpriseOf(p: Principal): string {
    if (p.role !== 'enterprise' || !p.enterpriseId)
      throw new HttpError(403, 'only a user of the enterprise may do this');
    return p.enterpriseId;
  }

  /**
   * A refused update → 409 with the workflow's reason. A workflow that has ended meanwhile (the server
   * answers "not found" to an update of a completed run) is a case in a final state, not a missing one:
   * 409 naming that state (`ended`), never 404 — whether the update arrives before or after the end is timing.
   */
  function updateRefusal(err: unknown, field: string | undefined, ended: string): never {
    if (err instanceof WorkflowUpdateFailedError) {
      const msg = err.cause?.message ?? err.message;
      throw new HttpError(409, msg, field ?? (/^(\w+):/.exec(msg)?.[1] || undefined));
    }
    if (err instanceof WorkflowNotFoundError) throw new HttpError(409, ended, field);
    throw err;
  }

  return {
    async currentPolicy(): Promise<AlarmPolicy> {
      const doc = await models.AlarmPolicy.findOne({}, { updatedBy: 0, updatedAt: 0, _id: 0 }).sort({ _id: -1 }).lean();
      return doc ?? DEFAULT_ALARM_POLICY;
    },

    /** A new version of the alarm policy; running cases keep theirs. */
    async setPolicy(p: Principal, form: AlarmPolicyForm, ip?: string): Promise<AlarmPolicy> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the alarm policy');
      const current = await this.currentPolicy();
      const policy: AlarmPolicy = {
        ...form,
        faultRepairWithin: form.faultRepairWithin ?? faultRepairWithinOf(current),
        version: current.version + 1,
      };
      const stored = await storeVersion(
        { model: models.AlarmPolicy, audit },
        { name: 'alarm_policy', problems: alarmPolicyProblems(policy) },
        policy,
        p,
        ip,
      );
      deps.policyChanged?.();
      return stored;
    },

    /** The offline rules in force (missed intervals, the 2-day and 5-day interviews, the sweep interval). */
    async currentOfflinePolicy(): Promise<OfflinePolicy> {
      return offlinePolicyInForce(models.OfflinePolicy, DEFAULT_OFFLINE_POLICY);
    },

    /**
     * A new version of the offline rules: new offline cases (and the sweeper's next run) take it; a
     * running case keeps the version it started with.
     */
    async setOfflinePolicy(p: Principal, form: OfflinePolicyForm, ip?: string): Promise<OfflinePolicy> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may change the offline rules');
      const current = await this.currentOfflinePolicy();
      const policy: OfflinePolicy = { ...form, version: current.version + 1 };
      const stored = await storeVersion(
        { model: models.OfflinePolicy, audit },
        {
          name: 'offline_policy',
          problems: offlinePolicyProblems(policy),
          conflict: 'the offline rules changed meanwhile; read them again',
        },
        policy,
        p,
        ip,
      );
      deps.policyChanged?.();
      await deps.offlinePolicyStored?.(stored);
      return stored;
    },

    /** The enterprise files its disposal of the open alarm of one device indicator. */
    async fileDisposal(
      p: Principal,
      deviceCode: string,
      indicator: string,
      form: AlarmDisposalForm,
      ip?: string,
    ): Promise<MonitoringAlarmState> {
      const enterpriseId = enterpriseOf(p);
      const device = await models.Device.findById(deviceCode).lean();
      if (!device || device.enterpriseId !== enterpriseId)
        throw new HttpError(404, `no device ${deviceCode} of your enterprise`, 'deviceCode');
      const handle = temporal.workflow.getHandle(caseIds.monitoringAlarm(deviceCode, indicator));
      let current: MonitoringAlarmState;
      const closed = `the alarm case of ${deviceCode}/${indicator} is closed`;
      try {
        current = await handle.query(monitoringAlarmStateQuery);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // A case that ran and ended (its history gone from the server) is closed; only one never opened is missing.
        const prefix = `${caseIds.monitoringAlarm(deviceCode, indicator)}/`;
        const hadCase = await models.CaseRecord.exists({ _id: { $gt: prefix, $lt: `${prefix}\uffff` } });
        if (hadCase) throw new HttpError(409, closed, 'indicator');
        throw new HttpError(404, `no alarm case for ${deviceCode}/${indicator}`, 'indicator');
      }
      if (current.status === 'closed') throw new HttpError(409, closed, 'indicator');
      try {
        const state = await handle.executeUpdate(fileAlarmDisposalUpdate, {
          args: [{ ...form, filedBy: p.username, filedAt: new Date().toISOString() }],
        });
        await audit.record(p.username, 'alarm.disposal_filed', state.caseId, { deviceCode, indicator, ...form }, ip);
        return state;
      } catch (err) {
        return updateRefusal(err, undefined, closed);
      }
    },

    async fileSuspension(p: Principal, form: SuspensionRequestForm, ip?: string): Promise<{ requestId: string }> {
      const enterpriseId = enterpriseOf(p);
      const devices = await models.Device.find({ _id: { $in: form.deviceCodes } }, { enterpriseId: 1 }).lean();
      for (const code of form.deviceCodes) {
        const d = devices.find((x) => x._id === code);
        if (!d || d.enterpriseId !== enterpriseId)
          throw new HttpError(400, `deviceCodes: no device ${code} of your enterprise`, 'deviceCodes');
      }
      const channels = form.channelIds.length
        ? await models.VideoChannel.find({ _id: { $in: form.channelIds } }, { enterpriseId: 1 }).lean()
        : [];
      for (const id of form.channelIds) {
        const c = channels.find((x) => x._id === id);
        if (!c || c.enterpriseId !== enterpriseId)
          throw new HttpError(400, `channelIds: no video channel ${id} of your enterprise`, 'channelIds');
      }
      const requestId = caseIds.suspensionRequest(enterpriseId, crypto.randomUUID());
      await temporal.workflow.start(suspensionRequest, {
        taskQueue: deps.taskQueue,
        workflowId: requestId,
        args: [
          {
            enterpriseId,
            deviceCodes: form.deviceCodes,
            channelIds: form.channelIds,
            reason: form.reason,
            detail: form.detail,
            from: new Date(form.from).toISOString(),
            to: new Date(form.to).toISOString(),
            requestedBy: p.username,
            requestedAt: new Date().toISOString(),
          },
        ],
        typedSearchAttributes: [{ key: ENTERPRISE_ID_ATTRIBUTE, value: enterpriseId }],
      });
      await audit.record(p.username, 'suspension.requested', requestId, { ...form }, ip);
      return { requestId };
    },

    /** The reviewing agency (or an administrator) approves or rejects. */
    async decideSuspension(
      p: Principal,
      requestId: string,
      decision: { approved: boolean; note?: string },
      ip?: string,
    ): Promise<SuspensionRequestState> {
      const doc = await models.SuspensionRequest.findById(requestId).lean<SuspensionRequestDoc>();
      if (!doc) throw new HttpError(404, `no suspension request ${requestId}`, 'requestId');
      if (!(p.role === 'admin' || (p.role === 'regulator' && p.agencyId && p.agencyId === doc.reviewAgencyId))) {
        throw new HttpError(403, 'only the reviewing agency or an administrator may decide this request');
      }
      // The same words as the workflow's validator, whichever of the two sees the second decision first.
      const alreadyDecided = (status: string) => new HttpError(409, `the request is already ${status}`, 'approved');
      if (doc.status !== 'pending') throw alreadyDecided(doc.status);
      try {
        const state = await temporal.workflow
          .getHandle(requestId)
          .executeUpdate(decideSuspensionUpdate, { args: [{ ...decision, by: p.username }] });
        await audit.record(
          p.username,
          decision.approved ? 'suspension.approved' : 'suspension.rejected',
          requestId,
          decision,
          ip,
        );
        return state;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) {
          const now = await models.SuspensionRequest.findById(requestId, { status: 1 }).lean<
            Pick<SuspensionRequestDoc, 'status'>
          >();
          throw alreadyDecided(now && now.status !== 'pending' ? now.status : 'closed');
        }
        return updateRefusal(err, 'approved', 'the request is closed');
      }
    },

    async getSuspension(p: Principal, requestId: string): Promise<SuspensionRequestDoc> {
      const doc = await models.SuspensionRequest.findById(requestId).lean<SuspensionRequestDoc>();
      const mayRead =
        doc &&
        (p.role === 'admin' ||
          (p.role === 'enterprise' && p.enterpriseId === doc.enterpriseId) ||
          (p.role === 'regulator' && p.agencyId === doc.reviewAgencyId));
      if (!doc || !mayRead) throw new HttpError(404, `no suspension request ${requestId}`, 'requestId');
      return doc;
    },
  };
}
export type AlarmService = ReturnType<typeof createAlarmService>;
