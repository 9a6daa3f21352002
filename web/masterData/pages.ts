/**
 * The administrator's master-data pages (系统管理 · 主数据): create and edit forms for users,
 * agencies, regions, enterprises, devices with their indicators, and an enterprise's cleaning plan.
 *
 * Every form is validated by the API's own zod schemas (./schemas.ts); creates
 * go through that service, edits it has no method for are here, under the same rules: references
 * checked, refusals 400/409 naming the field, every write audited. The render models hold what
 * the user typed, so a refused form comes back filled in.
 */
import type { Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import {
  AGENCY_ROLES,
  DUST_TYPES,
  ENTERPRISE_SIZES,
  INDUSTRIES,
  REGION_KINDS,
  USER_ROLES,
} from '../../domain/masterData';
import type { Models } from '../../models';
import { CLEANING_FREQUENCIES } from '../../models/CleaningPlan';
import { DEVICE_STATUSES, INDICATOR_KINDS } from '../../models/masterData';
import { catalogueChoices, fillFromCatalogue, fillsFromCatalogue } from './catalogueForm';
import { HttpError } from '../errors';
import { checked, FormBody, formError, formReader, formRows, options, parse } from '../forms';
import { found, type MasterDataService } from './service';
import {
  agencyPayload,
  cleaningPlanPayload,
  CLEARABLE_ENTERPRISE_FIELDS,
  devicePayload,
  enterprisePayload,
  regionPayload,
  userPayload,
} from './schemas';

/** The master-data lists that have create/edit pages (`/admin/<kind>/new`, `/admin/<kind>/<id>`). */
export const MASTER_FORMS = ['users', 'agencies', 'regions', 'enterprises'] as const;
export type MasterForm = (typeof MASTER_FORMS)[number];

/** Form body → the payload shape of each schema (before validation), read as the schema says (web/forms.ts formReader). */
export const readForm = {
  region: formReader(regionPayload),
  agency: formReader(agencyPayload),
  enterprise: formReader(enterprisePayload),
  device: formReader(devicePayload),
  user: formReader(userPayload),
  cleaningPlan: formReader(cleaningPlanPayload),
};

const strip = <T extends object>(doc: T): T => JSON.parse(JSON.stringify(doc)) as T;

/**
 * The device and cleaning-plan forms of one enterprise, without any check of who asks: the
 * administrator's pages (any enterprise, below) and the enterprise portal (its own enterprise only,
 * portal/config.ts) each put their own check in front. `scope` (an enterprise id)
 * limits a device edit to that enterprise: another enterprise's device is a 403 and nothing changes;
 * `keepStatus` leaves the device's status as stored (new devices start active) for forms without it.
 */
export function createEnterpriseDataForms(deps: { models: Models; masterData: MasterDataService }) {
  const { models: m, masterData } = deps;
  return {
    device: masterData.device,
    /** The device form: new (`deviceId` undefined, under `enterpriseId`) or edit. */
    async deviceForm(
      ref: { enterpriseId?: string; deviceId?: string },
      typed?: FormBody,
      err?: HttpError,
      scope?: string,
    ) {
      const stored = ref.deviceId ? await masterData.device(ref.deviceId, scope) : undefined;
      const enterpriseId = stored?.enterpriseId ?? ref.enterpriseId!;
      const enterprise = await found(
        m.Enterprise.findById(enterpriseId, { name: 1, industry: 1 }).lean(),
        'enterprise',
        enterpriseId,
      );
      const values: Record<string, unknown> = typed
        ? readForm.device(typed)
        : stored
          ? strip({ ...stored, id: stored._id })
          : { status: 'active', indicators: [] };
      // 从目录填入: the picked rows filled from the catalogue, shown again (nothing saved).
      const fill =
        typed && fillsFromCatalogue(typed)
          ? fillFromCatalogue((values.indicators as Record<string, unknown>[]) ?? [], enterprise.industry)
          : undefined;
      if (fill) values.indicators = fill.rows;
      const e = err ? formError(err) : undefined;
      const indicators = formRows(
        'indicators',
        (values.indicators as object[]) ?? [],
        e?.field,
        typed || !stored ? 2 : 1,
      );
      return {
        id: ref.deviceId,
        isNew: !ref.deviceId,
        enterprise,
        device: stored,
        values,
        indicators,
        indicatorKinds: INDICATOR_KINDS,
        catalogue: catalogueChoices(enterprise.industry),
        catalogueFilled: fill?.filled,
        statuses: DEVICE_STATUSES,
        ...e,
      };
    },
    /** Creates or updates a device; its id and its enterprise's (for the redirect). */
    async saveDevice(
      p: Principal,
      ref: { enterpriseId?: string; deviceId?: string },
      body: FormBody,
      ip?: string,
      opts: { scope?: string; keepStatus?: boolean } = {},
    ): Promise<{ enterpriseId: string; deviceId: string }> {
      const input = readForm.device(body);
      if (ref.deviceId) return masterData.updateDevice(p, ref.deviceId, input, ip, opts);
      await found(m.Enterprise.findById(ref.enterpriseId).lean(), 'enterprise', ref.enterpriseId!);
      const created = await masterData.createDevice(
        p,
        { ...input, ...(opts.keepStatus ? { status: 'active' } : {}), enterpriseId: ref.enterpriseId },
        ip,
      );
      return { enterpriseId: ref.enterpriseId!, deviceId: created._id };
    },
    /** The cleaning plan form of an enterprise. */
    async cleaningPlanForm(enterpriseId: string, typed?: FormBody, err?: HttpError) {
      const enterprise = await found(
        m.Enterprise.findById(enterpriseId, { name: 1 }).lean(),
        'enterprise',
        enterpriseId,
      );
      const plan = await m.CleaningPlan.findById(enterpriseId).lean();
      const values = typed ? readForm.cleaningPlan(typed) : { items: plan ? strip(plan.items) : [] };
      const e = err ? formError(err) : undefined;
      return {
        enterprise,
        plan,
        values,
        items: formRows('items', values.items as object[], e?.field, 3),
        frequencies: CLEANING_FREQUENCIES,
        ...e,
      };
    },
    saveCleaningPlan: (p: Principal, enterpriseId: string, body: FormBody, ip?: string) =>
      masterData.saveCleaningPlan(p, enterpriseId, readForm.cleaningPlan(body), ip),
  };
}

export function createAdminMasterDataService(deps: { models: Models; masterData: MasterDataService }) {
  const { models: m, masterData } = deps;

  const admin = (p: Principal) => {
    if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
  };
  const forms = createEnterpriseDataForms(deps);
  /** Regions and agencies offered in selects (master data stays small: at most 500 of each). */
  const choices = async () => ({
    regions: await m.Region.find({}, { name: 1, kind: 1 }).sort({ _id: 1 }).limit(500).lean(),
    agencies: await m.Agency.find({}, { name: 1, role: 1 }).sort({ _id: 1 }).limit(500).lean(),
  });

  /** The stored document as the form shows it. */
  async function stored(kind: MasterForm, id: string): Promise<Record<string, unknown>> {
    switch (kind) {
      case 'regions':
        return strip(await found(m.Region.findById(id).lean(), 'region', id)) as unknown as Record<string, unknown>;
      case 'agencies': {
        // The webhook URL holds the robot's key: write-only, the form says only whether one is set.
        const { webhookUrl, ...a } = await found(m.Agency.findById(id).lean(), 'agency', id);
        return { ...strip(a), webhookConfigured: !!webhookUrl };
      }
      case 'enterprises':
        return strip(await found(m.Enterprise.findById(id).lean(), 'enterprise', id)) as unknown as Record<
          string,
          unknown
        >;
      case 'users': {
        const { passwordHash: _omit, ...u } = await found(m.User.findById(id).lean(), 'user', id);
        return { ...strip(u), username: u._id };
      }
    }
  }

  return {
    /**
     * The render model of a create (`id` undefined) or edit form. `typed` is the refused form body
     * to show again (read as the schema reads it), `err` the refusal; otherwise the stored document
     * (edit) or the defaults (create).
     */
    async formPage(p: Principal, kind: MasterForm, id?: string, typed?: FormBody, err?: HttpError) {
      admin(p);
      const read = {
        users: readForm.user,
        agencies: readForm.agency,
        regions: readForm.region,
        enterprises: readForm.enterprise,
      }[kind];
      const values: Record<string, unknown> = typed
        ? { ...read(typed), password: undefined }
        : id
          ? await stored(kind, id)
          : { shouldConnect: true, contacts: [], industries: [], emails: [] };
      if (typed && id && kind === 'users') values.active = (await m.User.findById(id, { active: 1 }).lean())?.active;
      const e = err ? formError(err) : undefined;
      const base = { kind, id, isNew: !id, values, ...e, ...(await choices()) };
      switch (kind) {
        case 'regions':
          return { ...base, regionKinds: REGION_KINDS };
        case 'agencies':
          return {
            ...base,
            agencyRoles: AGENCY_ROLES,
            industryOptions: options(INDUSTRIES, values.industries as string[]),
            emailsText: ((values.emails as string[]) ?? []).join('\n'),
          };
        case 'enterprises': {
          const contacts = formRows('contacts', (values.contacts as object[]) ?? [], e?.field, 2);
          const devices =
            id && !typed
              ? await m.Device.find({ enterpriseId: id }, { name: 1, kind: 1, status: 1 })
                  .sort({ _id: 1 })
                  .limit(200)
                  .lean()
              : [];
          return {
            ...base,
            contacts,
            devices,
            industries: INDUSTRIES,
            dustTypes: DUST_TYPES,
            sizes: ENTERPRISE_SIZES,
            levels: LEVELS,
          };
        }
        case 'users':
          return { ...base, userRoles: USER_ROLES };
      }
    },

    /** Creates (`id` undefined) or updates one record from its form; the id to show in the list's flash. */
    async save(p: Principal, kind: MasterForm, id: string | undefined, body: FormBody, ip?: string): Promise<string> {
      admin(p);
      switch (kind) {
        case 'regions': {
          const input = readForm.region(body);
          if (!id) return (await masterData.createRegion(p, input, ip))._id;
          await masterData.updateRegion(p, id, input, ip);
          return id;
        }
        case 'agencies': {
          const input = readForm.agency(body);
          if (!id) return (await masterData.createAgency(p, input, ip))._id;
          await masterData.updateAgency(p, id, input, ip, { removeWebhook: checked(body.removeWebhook) });
          return id;
        }
        case 'enterprises': {
          const input = readForm.enterprise(body);
          if (!id) return (await masterData.createEnterprise(p, input, ip))._id;
          await masterData.getEnterprise(p, id);
          // The page posts the whole record: validated as a new one is, then saved as a change that clears what was emptied.
          const { id: _ignored, ...e } = parse(enterprisePayload, { ...input, id });
          await masterData.updateEnterprise(
            p,
            id,
            { ...e, ...Object.fromEntries(CLEARABLE_ENTERPRISE_FIELDS.map((f) => [f, e[f] ?? null])) },
            ip,
          );
          return id;
        }
        case 'users': {
          const input = readForm.user(body);
          if (!id) return (await masterData.createUser(p, input, ip))._id;
          await masterData.updateUser(p, id, input, ip);
          return id;
        }
      }
    },

    /** 重置密码: a new password under the same rule as a new user's; the user's sessions end. */
    async resetPassword(p: Principal, username: string, body: FormBody, ip?: string) {
      admin(p);
      await masterData.resetPassword(p, username, body.password, ip);
    },
    /** 停用 / 启用 (never yourself). */
    async setActive(p: Principal, username: string, active: boolean, ip?: string) {
      admin(p);
      if (active) await masterData.activateUser(p, username, ip);
      else await masterData.deactivateUser(p, username, ip); // ends its sessions and tokens
    },

    /** An enterprise's devices, for its device list page. */
    async devicesPage(p: Principal, enterpriseId: string) {
      admin(p);
      const enterprise = await found(
        m.Enterprise.findById(enterpriseId, { name: 1 }).lean(),
        'enterprise',
        enterpriseId,
      );
      const devices = await m.Device.find({ enterpriseId }).sort({ _id: 1 }).limit(500).lean();
      return {
        enterprise,
        devices: devices.map((d) => ({ ...d, indicatorCodes: d.indicators.map((i) => i.code).join(', ') })),
      };
    },
    /** The device form: new (`deviceId` undefined, under `enterpriseId`) or edit. */
    async deviceForm(
      p: Principal,
      ref: { enterpriseId?: string; deviceId?: string },
      typed?: FormBody,
      err?: HttpError,
    ) {
      admin(p);
      return forms.deviceForm(ref, typed, err);
    },
    /** Creates or updates a device; its id and its enterprise's (for the redirect). */
    async saveDevice(
      p: Principal,
      ref: { enterpriseId?: string; deviceId?: string },
      body: FormBody,
      ip?: string,
    ): Promise<{ enterpriseId: string; deviceId: string }> {
      admin(p);
      return forms.saveDevice(p, ref, body, ip);
    },

    /** The cleaning plan form of an enterprise. */
    async cleaningPlanForm(p: Principal, enterpriseId: string, typed?: FormBody, err?: HttpError) {
      admin(p);
      return forms.cleaningPlanForm(enterpriseId, typed, err);
    },
    /** Replaces the cleaning plan of an enterprise. */
    async saveCleaningPlan(p: Principal, enterpriseId: string, body: FormBody, ip?: string) {
      admin(p);
      await forms.saveCleaningPlan(p, enterpriseId, body, ip);
    },
    cleaningPlan: (enterpriseId: string) => masterData.cleaningPlan(enterpriseId),
  };
}
export type AdminMasterDataService = ReturnType<typeof createAdminMasterDataService>;
