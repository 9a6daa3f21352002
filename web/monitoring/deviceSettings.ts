/**
 * Device settings an enterprise may not change alone: its indicators' thresholds and reporting
 * intervals decide when its alarms fire, so widening them (or reporting every 10^9 s) would silence
 * them. From the portal such a change is held (device_settings_changes) and takes effect only when the
 * zone safety department 功能区安全管理部门 of the enterprise approves it through a
 * `deviceSettingsReview` task (the district industry regulator when the zone has none); both steps
 * are audited with the settings before and after. The seed limit on intervals (data at least every
 * 5 minutes) is refused at once.
 */
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import type { DeviceDoc } from '../../models/masterData';
import type { TaskDoc } from '../../models/Task';
import { pickAgency } from '../../activities/monitoring';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';

/** Seed limit: a monitored value is reported at least every 5 minutes. */
export const MAX_INTERVAL_SEC = 300;
/** What decides when an alarm fires, per indicator. */
export const SETTINGS_FIELDS = [
  'normalMin',
  'normalMax',
  'alarmLow',
  'alarmHigh',
  'alarmLowLow',
  'alarmHighHigh',
  'rangeMin',
  'rangeMax',
  'intervalSec',
] as const;
export const REVIEW_FORM = 'deviceSettingsReview';

type Indicator = { code: string } & Record<string, unknown>;

/** The settings of each indicator by code (absent fields left out), for comparing and for the audit trail. */
export function settingsOf(indicators: readonly Indicator[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    indicators.map((i) => [
      i.code,
      Object.fromEntries(SETTINGS_FIELDS.filter((f) => i[f] !== undefined && i[f] !== null).map((f) => [f, i[f]])),
    ]),
  );
}
export function sameSettings(a: readonly Indicator[], b: readonly Indicator[]): boolean {
  return JSON.stringify(sorted(settingsOf(a))) === JSON.stringify(sorted(settingsOf(b)));
}
function sorted(x: Record<string, Record<string, unknown>>) {
  return Object.keys(x)
    .sort()
    .map((k) => [
      k,
      Object.keys(x[k])
        .sort()
        .map((f) => [f, x[k][f]]),
    ]);
}

/** 400 naming the first indicator whose interval is beyond the seed limit. */
export function checkIntervals(indicators: readonly { intervalSec?: unknown }[]): void {
  const i = indicators.findIndex((x) => typeof x.intervalSec === 'number' && x.intervalSec > MAX_INTERVAL_SEC);
  if (i >= 0)
    throw new HttpError(
      400,
      `indicators.${i}.intervalSec: at most ${MAX_INTERVAL_SEC} s (monitoring data is reported at least every 5 minutes)`,
      `indicators.${i}.intervalSec`,
    );
}

export function createDeviceSettingsService(deps: {
  models: Models;
  audit: AuditService;
  deviceChanged?: (deviceId: string) => void;
}) {
  const { models: m, audit } = deps;
  return {
    /** Holds a portal change of a device's indicators for review; the review task's id. */
    async propose(p: Principal, device: DeviceDoc, after: readonly Indicator[], ip?: string): Promise<string> {
      const enterprise = await m.Enterprise.findById(device.enterpriseId, {
        regionPath: 1,
        industry: 1,
        name: 1,
      }).lean();
      if (!enterprise) throw new HttpError(404, `enterprise "${device.enterpriseId}" does not exist`, 'enterpriseId');
      const agencies = await m.Agency.find({ regionId: { $in: enterprise.regionPath } }).lean();
      const reviewer =
        pickAgency(agencies, 'zone_safety_dept', enterprise) ??
        pickAgency(agencies, 'district_industry_regulator', enterprise);
      const now = new Date();
      const caseId = `device-settings/${device._id}/${now.getTime()}`;
      const taskId = `${caseId}/review`;
      const before = device.indicators as unknown as Indicator[];
      await m.DeviceSettingsChange.create({
        _id: taskId,
        deviceId: device._id,
        enterpriseId: device.enterpriseId,
        before,
        after: [...after],
        status: 'pending',
        requestedBy: p.username,
        requestedAt: now,
      });
      await m.Task.create({
        _id: taskId,
        caseId,
        caseType: 'monitoring_alarm',
        kind: 'device_settings_review',
        title: `审核监测阈值/上传间隔变更：${enterprise.name} ${device.name}`,
        enterpriseId: device.enterpriseId,
        assigneeAgencyId: reviewer?._id,
        due: new Date(now.getTime() + 3 * 86400_000),
        status: 'open',
        form: REVIEW_FORM,
        createdAt: now,
      });
      await audit.record(
        p.username,
        'device.settings_proposed',
        device._id,
        {
          enterpriseId: device.enterpriseId,
          taskId,
          reviewer: reviewer?._id,
          before: settingsOf(before),
          after: settingsOf(after),
        },
        ip,
      );
      return taskId;
    },

    /** The reviewer's decision (from tasks.completeTask, after its assignee check): approved → the device takes the settings. */
    async decide(
      p: Principal,
      task: TaskDoc,
      decision: { approved: boolean; note?: string },
      ip?: string,
    ): Promise<void> {
      if (p.role === 'enterprise')
        throw new HttpError(403, 'an enterprise cannot review its own settings change', 'taskId');
      const change = await m.DeviceSettingsChange.findOneAndUpdate(
        { _id: task._id, status: 'pending' },
        {
          $set: {
            status: decision.approved ? 'approved' : 'rejected',
            decidedBy: p.username,
            decidedAt: new Date(),
            note: decision.note,
          },
        },
        { returnDocument: 'after' },
      ).lean();
      if (!change) throw new HttpError(409, `the settings change ${task._id} was decided already`, 'taskId');
      if (decision.approved) {
        const device = await m.Device.findById(change.deviceId).lean();
        if (!device) throw new HttpError(404, `device "${change.deviceId}" does not exist`, 'deviceId');
        await m.Device.updateOne({ _id: change.deviceId }, { $set: { indicators: change.after } });
        deps.deviceChanged?.(change.deviceId);
      }
      await m.Task.updateOne(
        { _id: task._id, status: 'open' },
        { $set: { status: 'done', completedBy: p.username, completedAt: new Date(), result: decision } },
      );
      await audit.record(
        p.username,
        decision.approved ? 'device.settings_approved' : 'device.settings_rejected',
        change.deviceId,
        {
          enterpriseId: change.enterpriseId,
          taskId: task._id,
          note: decision.note,
          before: settingsOf(change.before as Indicator[]),
          after: settingsOf(change.after as Indicator[]),
        },
        ip,
      );
    },
  };
}
export type DeviceSettingsService = ReturnType<typeof createDeviceSettingsService>;
