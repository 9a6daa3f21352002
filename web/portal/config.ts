/**
 * The enterprise keeps its own data in the portal (企业门户 · 配置): contacts, address, dust type,
 * dust-work headcount and HQ mailbox of its enterprise; its devices (grouped by dust-removal
 * system 除尘系统) with their indicators; its cleaning plan. Its own enterprise only: every read
 * and write is cut to `principal.enterpriseId`, and another enterprise's device is a 403 (audited)
 * with nothing changed.
 *
 * The same schemas, service and form code as the administrator's pages (masterData/schemas.ts,
 * masterData/service.ts, masterData/pages.ts createEnterpriseDataForms). What identifies and
 * classifies the enterprise — name, USCC, region, industry, size, inherent risk, connection flags —
 * stays with the administrator: a form posting one of them is a 400 naming it, and nothing is stored.
 * A device's status is not a field here either: suspension goes through 停用申报 (verified by the
 * bureau); the portal only retires (报废) a device or puts a retired one back into service, audited.
 */
import type { Principal } from '../../domain/access';
import { DUST_TYPES } from '../../domain/masterData';
import type { Models } from '../../models';
import { HttpError, fromZod } from '../errors';
import { parse } from '../forms';
import { createEnterpriseDataForms, readForm } from '../masterData/pages';
import { FormBody, formError, formRows } from '../forms';
import type { AuditService } from '../access/audit';
import { catalogueChecked, setAndUnset, type MasterDataService } from '../masterData/service';
import { CLEARABLE_ENTERPRISE_FIELDS, devicePayload, enterprisePayload } from '../masterData/schemas';
import { checkIntervals, sameSettings, type DeviceSettingsService } from '../monitoring/deviceSettings';

/** The enterprise fields an enterprise user keeps, validated by the API's enterprise schema. */
export const portalEnterprisePayload = enterprisePayload.pick({
  dustType: true,
  dustWorkers: true,
  address: true,
  contacts: true,
  hqEmail: true,
});
/** Fields kept by the administrator (运营公司): posting one from the portal is refused, naming it. */
export const ADMIN_KEPT_FIELDS = [
  'id',
  'name',
  'uscc',
  'regionId',
  'regionPath',
  'industry',
  'size',
  'inherentRisk',
  'shouldConnect',
  'connected',
  'currentLevel',
] as const;
const OPTIONAL = CLEARABLE_ENTERPRISE_FIELDS;

export function createPortalConfigService(deps: {
  models: Models;
  audit: AuditService;
  masterData: MasterDataService;
  deviceChanged?: (deviceId: string) => void;
  deviceSettings: DeviceSettingsService;
}) {
  const { models: m, audit } = deps;
  const forms = createEnterpriseDataForms(deps);

  function enterpriseOf(p: Principal): string {
    if (p.role !== 'enterprise' || !p.enterpriseId)
      throw new HttpError(403, 'only a user of the enterprise may change its configuration');
    return p.enterpriseId;
  }
  /** One of my enterprise's devices; another enterprise's is a 403, written to the audit trail. */
  async function myDevice(p: Principal, deviceId: string, ip?: string) {
    const enterpriseId = enterpriseOf(p);
    try {
      return await forms.device(deviceId, enterpriseId);
    } catch (err) {
      if (err instanceof HttpError && err.status === 403)
        await audit.record(p.username, 'device.edit_refused', deviceId, { enterpriseId }, ip);
      throw err;
    }
  }

  return {
    /** The enterprise form: stored values, or what was typed when refused. */
    async enterpriseForm(p: Principal, typed?: FormBody, err?: HttpError) {
      const enterpriseId = enterpriseOf(p);
      const stored = await m.Enterprise.findById(enterpriseId).lean();
      if (!stored) throw new HttpError(404, `enterprise "${enterpriseId}" does not exist`, 'enterpriseId');
      const values: Record<string, unknown> = typed
        ? readForm.enterprise(typed)
        : (JSON.parse(JSON.stringify(stored)) as Record<string, unknown>);
      const e = err ? formError(err) : undefined;
      return {
        enterprise: stored,
        values,
        contacts: formRows('contacts', (values.contacts as object[]) ?? [], e?.field, 2),
        dustTypes: DUST_TYPES,
        ...e,
      };
    },
    /** Saves what the enterprise keeps (the master-data service's one enterprise change); an emptied optional field is cleared. */
    async saveEnterprise(p: Principal, body: FormBody, ip?: string) {
      const enterpriseId = enterpriseOf(p);
      const kept = ADMIN_KEPT_FIELDS.find((f) => body[f] !== undefined);
      if (kept)
        throw new HttpError(
          400,
          `${kept}: is kept by the administrator (运营公司) and cannot be changed in the portal`,
          kept,
        );
      const { dustType, dustWorkers, address, contacts, hqEmail } = readForm.enterprise(body);
      const own = parse(portalEnterprisePayload, { dustType, dustWorkers, address, contacts, hqEmail });
      await deps.masterData.updateEnterprise(
        p,
        enterpriseId,
        { ...own, ...Object.fromEntries(OPTIONAL.map((f) => [f, own[f] ?? null])) },
        ip,
        'portal',
      );
    },

    /** The device form of my enterprise: new (`deviceId` undefined) or one of mine. */
    async deviceForm(p: Principal, deviceId?: string, typed?: FormBody, err?: HttpError) {
      const enterpriseId = enterpriseOf(p);
      if (deviceId) await myDevice(p, deviceId);
      return forms.deviceForm({ enterpriseId, deviceId }, typed, err, enterpriseId);
    },
    /**
     * Adds a device to my enterprise (starts active) or updates one of mine (its status stays).
     * Intervals beyond the seed limit are refused; a change of an existing device's thresholds or
     * intervals is held for the zone safety department (monitoring/deviceSettings.ts) while the rest
     * (name, kind, system) is saved.
     */
    async saveDevice(p: Principal, deviceId: string | undefined, body: FormBody, ip?: string): Promise<string> {
      const enterpriseId = enterpriseOf(p);
      checkIntervals(readForm.device(body).indicators as { intervalSec?: unknown }[]);
      if (!deviceId) {
        return (
          await forms.saveDevice(p, { enterpriseId, deviceId }, body, ip, { scope: enterpriseId, keepStatus: true })
        ).deviceId;
      }
      const before = await myDevice(p, deviceId, ip);
      const r = devicePayload.safeParse({
        ...readForm.device(body),
        status: before.status,
        id: deviceId,
        enterpriseId,
      });
      if (!r.success) throw fromZod(r.error);
      // A pick the catalogue refuses is refused here too, before a change is held for review.
      const industry = (await m.Enterprise.findById(enterpriseId, { industry: 1 }).lean())!.industry;
      const checked = catalogueChecked(industry, r.data.indicators);
      const after = checked as unknown as Parameters<typeof sameSettings>[0];
      if (sameSettings(before.indicators as unknown as typeof after, after)) {
        return (
          await forms.saveDevice(p, { enterpriseId, deviceId }, body, ip, { scope: enterpriseId, keepStatus: true })
        ).deviceId;
      }
      await m.Device.updateOne(
        { _id: deviceId },
        setAndUnset({ name: r.data.name, kind: r.data.kind, system: r.data.system }, ['system']),
      );
      deps.deviceChanged?.(deviceId);
      await audit.record(
        p.username,
        'device.update',
        deviceId,
        { enterpriseId, via: 'portal', settings: 'held for review' },
        ip,
      );
      await deps.deviceSettings.propose(p, before, after, ip);
      return deviceId;
    },
    /** 停用 (retire: its data is refused from now on) or back into service; other statuses stay as they are. */
    async setDeviceInService(p: Principal, deviceId: string, inService: boolean, ip?: string) {
      const enterpriseId = enterpriseOf(p);
      const d = await myDevice(p, deviceId, ip);
      const [from, to] = inService ? ['retired', 'active'] : ['active', 'retired'];
      if (d.status !== from)
        throw new HttpError(409, `status: device "${deviceId}" is ${d.status}, not ${from}`, 'status');
      await m.Device.updateOne({ _id: deviceId, enterpriseId, status: from }, { $set: { status: to } });
      deps.deviceChanged?.(deviceId);
      await audit.record(p.username, inService ? 'device.reactivate' : 'device.retire', deviceId, { enterpriseId }, ip);
    },

    async cleaningPlanForm(p: Principal, typed?: FormBody, err?: HttpError) {
      return forms.cleaningPlanForm(enterpriseOf(p), typed, err);
    },
    async saveCleaningPlan(p: Principal, body: FormBody, ip?: string) {
      await forms.saveCleaningPlan(p, enterpriseOf(p), body, ip);
    },
  };
}
export type PortalConfigService = ReturnType<typeof createPortalConfigService>;
