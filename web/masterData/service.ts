/**
 * Master data, one service for the API, the administrator's pages and the enterprise portal: regions,
 * agencies, enterprises, devices (with their indicators), video channels, users, cleaning plans and the
 * API's view of data-interface keys. Payloads are validated by their schemas (./schemas.ts), references
 * checked against the database, duplicates refused with 409 naming the field, every write audited, and
 * every device change told to the readings interface's cache. Reads are cut by jurisdiction
 * (domain/access.ts); who may write is the caller's check (API role, admin page, the portal's own enterprise).
 */
import { enterpriseFilter, canSeeEnterprise, Principal } from '../../domain/access';
import { dataKeyRequest, type DataKeyService } from '../access/dataKeys';
import { hashPassword } from '../../lib/passwords';
import type { Models } from '../../models';
import type { AgencyDoc } from '../../models/masterData';
import { CATALOGUE_VERSION } from '../../domain/indicators';
import type { Industry } from '../../domain/masterData';
import { HttpError } from '../errors';
import { parse } from '../forms';
import type { AuditService } from '../access/audit';
import { endUserAccess } from '../access/auth';
import { checkWebhookTarget } from '../access/webhookTargets';
import {
  agencyPayload,
  cleaningPlanPayload,
  devicePayload,
  enterpriseChanges,
  enterprisePayload,
  indicatorCatalogueProblems,
  regionPayload,
  userPayload,
  videoChannelPayload,
  type EnterpriseChanges,
  type IndicatorInput,
} from './schemas';

/**
 * An agency as read back: the chat robot's webhook URL carries its secret key, so it is write-only
 * (only whether one is set); the mailing list is the administrator's.
 */
export function agencyView(p: Principal, a: AgencyDoc) {
  const { webhookUrl, emails, ...rest } = a;
  return { ...rest, ...(p.role === 'admin' ? { emails } : {}), webhookConfigured: !!webhookUrl };
}
/** `$set` the given fields and `$unset` the optional ones left empty (an emptied input clears the value). */
export function setAndUnset(fields: Record<string, unknown>, optional: readonly string[]) {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) $set[k] = v;
  for (const k of optional) if (fields[k] === undefined) $unset[k] = 1;
  return Object.keys($unset).length ? { $set, $unset } : { $set };
}
export async function found<T>(doc: Promise<T | null>, what: string, id: string): Promise<T> {
  const d = await doc;
  if (!d) throw new HttpError(404, `${what} "${id}" does not exist`, 'id');
  return d;
}

const page = (q: { limit?: unknown; after?: unknown }) => ({
  limit: Math.min(Math.max(Number(q.limit) || 50, 1), 500),
  after: typeof q.after === 'string' && q.after ? q.after : undefined,
});

/** Duplicate key → 409 naming the field; the id check runs first so the message is exact. */
async function refuseDuplicate(exists: Promise<unknown>, field: string, value: string): Promise<void> {
  if (await exists) throw new HttpError(409, `${field}: "${value}" already exists`, field);
}

/**
 * An enterprise's indicators checked against its industry's catalogue (400 naming `indicators.<i>.<field>`), each pick
 * stamped with the catalogue version it was picked from.
 */
export function catalogueChecked<I extends IndicatorInput>(industry: Industry, indicators: I[]): I[] {
  const problem = indicatorCatalogueProblems(industry, indicators)[0];
  if (problem) throw new HttpError(400, `${problem.field}: ${problem.message}`, problem.field);
  return indicators.map((i) => (i.catalogueCode ? { ...i, catalogueVersion: CATALOGUE_VERSION } : i));
}

export function createMasterDataService(deps: {
  models: Models;
  audit: AuditService;
  dataKeys: DataKeyService;
  allowPrivateWebhooks?: boolean;
  deviceChanged?: (deviceId: string) => void;
}) {
  const { models: m, audit } = deps;

  async function regionPath(regionId: string, field = 'regionId'): Promise<string[]> {
    const region = await m.Region.findById(regionId).lean();
    if (!region) throw new HttpError(400, `${field}: region "${regionId}" does not exist`, field);
    return region.path;
  }
  async function visibleEnterprise(p: Principal, enterpriseId: string) {
    const e = await m.Enterprise.findById(enterpriseId).lean();
    if (!e) throw new HttpError(404, `enterprise "${enterpriseId}" does not exist`, 'enterpriseId');
    if (!canSeeEnterprise(p, e))
      throw new HttpError(403, `enterprise "${enterpriseId}" is outside your jurisdiction`, 'enterpriseId');
    return e;
  }
  /** A device; with `scope` (an enterprise id) another enterprise's device is a 403. */
  async function device(deviceId: string, scope?: string) {
    const d = await found(m.Device.findById(deviceId).lean(), 'device', deviceId);
    if (scope !== undefined && d.enterpriseId !== scope)
      throw new HttpError(403, `device "${deviceId}" belongs to another enterprise`, 'id');
    return d;
  }
  /** The industry of an enterprise (its indicator catalogue). */
  async function industryOf(enterpriseId: string): Promise<Industry> {
    const e = await found(m.Enterprise.findById(enterpriseId, { industry: 1 }).lean(), 'enterprise', enterpriseId);
    return e.industry;
  }
  const withoutSecrets = <T extends { passwordHash?: string }>(u: T) => {
    const { passwordHash: _omit, ...rest } = u;
    return rest;
  };

  return {
    async createRegion(p: Principal, body: unknown, ip?: string) {
      const r = parse(regionPayload, body);
      await refuseDuplicate(m.Region.exists({ _id: r.id }), 'id', r.id);
      const path = r.parentId ? [...(await regionPath(r.parentId, 'parentId')), r.id] : [r.id];
      const doc = await m.Region.create({
        _id: r.id,
        name: r.name,
        nameEn: r.nameEn,
        kind: r.kind,
        parentId: r.parentId,
        path,
      });
      await audit.record(p.username, 'region.create', r.id, undefined, ip);
      return doc.toObject();
    },
    /** A region keeps its place in the tree (enterprises and children hold copies of its path): its names and kind change. */
    async updateRegion(p: Principal, regionId: string, body: unknown, ip?: string) {
      const before = await found(m.Region.findById(regionId).lean(), 'region', regionId);
      const r = parse(regionPayload, { ...(body as object), id: regionId, parentId: before.parentId });
      await m.Region.updateOne(
        { _id: regionId },
        setAndUnset({ name: r.name, nameEn: r.nameEn, kind: r.kind }, ['nameEn']),
      );
      await audit.record(p.username, 'region.update', regionId, undefined, ip);
    },
    async listRegions(q: Record<string, unknown>) {
      const { limit, after } = page(q);
      const filter: Record<string, unknown> = after ? { _id: { $gt: after } } : {};
      if (typeof q.parentId === 'string') filter.parentId = q.parentId;
      return m.Region.find(filter).sort({ _id: 1 }).limit(limit).lean();
    },

    /** 400 naming webhookUrl for a robot at a loopback or private address (access/webhookTargets.ts). */
    checkWebhookTarget: (url: string | undefined) => checkWebhookTarget(url, deps.allowPrivateWebhooks),

    async createAgency(p: Principal, body: unknown, ip?: string) {
      const a = parse(agencyPayload, body);
      await checkWebhookTarget(a.webhookUrl, deps.allowPrivateWebhooks);
      await refuseDuplicate(m.Agency.exists({ _id: a.id }), 'id', a.id);
      await regionPath(a.regionId);
      const doc = await m.Agency.create({
        _id: a.id,
        name: a.name,
        role: a.role,
        regionId: a.regionId,
        industries: a.industries,
        emails: a.emails,
        webhookUrl: a.webhookUrl,
      });
      await audit.record(p.username, 'agency.create', a.id, { webhookConfigured: !!a.webhookUrl }, ip);
      return agencyView(p, doc.toObject());
    },
    /** The stored webhook is never shown: an empty field keeps it, `removeWebhook` removes it, a new URL replaces it. */
    async updateAgency(
      p: Principal,
      agencyId: string,
      body: unknown,
      ip?: string,
      opts: { removeWebhook?: boolean } = {},
    ) {
      await found(m.Agency.findById(agencyId).lean(), 'agency', agencyId);
      const a = parse(agencyPayload, { ...(body as object), id: agencyId });
      await checkWebhookTarget(a.webhookUrl, deps.allowPrivateWebhooks);
      await regionPath(a.regionId);
      const removeWebhook = !!opts.removeWebhook && !a.webhookUrl;
      await m.Agency.updateOne(
        { _id: agencyId },
        setAndUnset(
          {
            name: a.name,
            role: a.role,
            regionId: a.regionId,
            industries: a.industries,
            emails: a.emails,
            webhookUrl: a.webhookUrl,
          },
          removeWebhook ? ['webhookUrl'] : [],
        ),
      );
      await audit.record(
        p.username,
        'agency.update',
        agencyId,
        { webhook: a.webhookUrl ? 'replaced' : removeWebhook ? 'removed' : 'kept' },
        ip,
      );
    },
    async listAgencies(p: Principal, q: Record<string, unknown>) {
      const { limit, after } = page(q);
      const filter: Record<string, unknown> = after ? { _id: { $gt: after } } : {};
      if (typeof q.regionId === 'string') filter.regionId = q.regionId;
      if (typeof q.role === 'string') filter.role = q.role;
      return (await m.Agency.find(filter).sort({ _id: 1 }).limit(limit).lean()).map((a) => agencyView(p, a));
    },

    async createEnterprise(p: Principal, body: unknown, ip?: string) {
      const e = parse(enterprisePayload, body);
      const enterpriseId = e.id ?? `ent-${e.uscc.toLowerCase()}`;
      await refuseDuplicate(m.Enterprise.exists({ _id: enterpriseId }), 'id', enterpriseId);
      await refuseDuplicate(m.Enterprise.exists({ uscc: e.uscc }), 'uscc', e.uscc);
      const path = await regionPath(e.regionId);
      const { id: _id, ...fields } = e;
      const doc = await m.Enterprise.create({ ...fields, _id: enterpriseId, regionPath: path, createdAt: new Date() });
      await audit.record(p.username, 'enterprise.create', enterpriseId, { uscc: e.uscc }, ip);
      return doc.toObject();
    },
    /**
     * The one way an enterprise changes (API PATCH, the administrator's page, the portal): only the fields
     * named change, `null` clears an optional one; the region's path follows the region. `via` says which
     * door in the audit entry (the portal's own fields).
     */
    async updateEnterprise(p: Principal, enterpriseId: string, body: unknown, ip?: string, via?: 'portal') {
      await visibleEnterprise(p, enterpriseId);
      const changes: EnterpriseChanges = parse(enterpriseChanges, body);
      const named = Object.entries(changes).filter(([, v]) => v !== undefined);
      if (changes.uscc)
        await refuseDuplicate(
          m.Enterprise.exists({ uscc: changes.uscc, _id: { $ne: enterpriseId } }),
          'uscc',
          changes.uscc,
        );
      const $set: Record<string, unknown> = Object.fromEntries(named.filter(([, v]) => v !== null));
      const $unset = Object.fromEntries(named.filter(([, v]) => v === null).map(([k]) => [k, 1]));
      if (changes.regionId) $set.regionPath = await regionPath(changes.regionId);
      await m.Enterprise.updateOne({ _id: enterpriseId }, Object.keys($unset).length ? { $set, $unset } : { $set });
      await audit.record(
        p.username,
        'enterprise.update',
        enterpriseId,
        { fields: named.map(([k]) => k), ...(via ? { via } : {}) },
        ip,
      );
      return m.Enterprise.findById(enterpriseId).lean();
    },
    getEnterprise: (p: Principal, enterpriseId: string) => visibleEnterprise(p, enterpriseId),
    async listEnterprises(p: Principal, q: Record<string, unknown>) {
      const { limit, after } = page(q);
      const filter: Record<string, unknown> = { ...enterpriseFilter(p) };
      if (after) filter._id = { $gt: after };
      for (const k of ['regionId', 'industry'] as const) if (typeof q[k] === 'string') filter[k] = q[k];
      return m.Enterprise.find(filter).sort({ _id: 1 }).limit(limit).lean();
    },

    async createDevice(p: Principal, body: unknown, ip?: string) {
      const d = parse(devicePayload, body);
      const e = await visibleEnterprise(p, d.enterpriseId);
      const indicators = catalogueChecked(e.industry, d.indicators);
      await refuseDuplicate(m.Device.exists({ _id: d.id }), 'id', d.id);
      const { id: _id, ...fields } = d;
      const doc = await m.Device.create({ ...fields, indicators, _id: d.id, createdAt: new Date() });
      deps.deviceChanged?.(d.id);
      await audit.record(p.username, 'device.create', d.id, { enterpriseId: d.enterpriseId }, ip);
      return doc.toObject();
    },
    device,
    /** A device's name, kind, system, status and indicators; `keepStatus` leaves the stored status (forms without it). */
    async updateDevice(
      p: Principal,
      deviceId: string,
      body: unknown,
      ip?: string,
      opts: { scope?: string; keepStatus?: boolean } = {},
    ) {
      const before = await device(deviceId, opts.scope);
      const d = parse(devicePayload, {
        ...(body as object),
        ...(opts.keepStatus ? { status: before.status } : {}),
        id: deviceId,
        enterpriseId: before.enterpriseId,
      });
      const indicators = catalogueChecked(await industryOf(before.enterpriseId), d.indicators);
      await m.Device.updateOne(
        { _id: deviceId },
        setAndUnset({ name: d.name, kind: d.kind, system: d.system, status: d.status, indicators }, ['system']),
      );
      deps.deviceChanged?.(deviceId);
      await audit.record(p.username, 'device.update', deviceId, { enterpriseId: before.enterpriseId }, ip);
      return { enterpriseId: before.enterpriseId, deviceId };
    },
    async listDevices(p: Principal, q: Record<string, unknown>) {
      if (typeof q.enterpriseId !== 'string')
        throw new HttpError(400, 'enterpriseId: is required (devices are listed per enterprise)', 'enterpriseId');
      await visibleEnterprise(p, q.enterpriseId);
      return m.Device.find({ enterpriseId: q.enterpriseId }).sort({ _id: 1 }).limit(page(q).limit).lean();
    },

    async createVideoChannel(p: Principal, enterpriseId: string, body: unknown, ip?: string) {
      await visibleEnterprise(p, enterpriseId);
      const v = parse(videoChannelPayload, body);
      await refuseDuplicate(m.VideoChannel.exists({ _id: v.id }), 'id', v.id);
      const doc = await m.VideoChannel.create({
        _id: v.id,
        enterpriseId,
        name: v.name,
        location: v.location,
        intervalSec: v.intervalSec,
        createdAt: new Date(),
      });
      await audit.record(p.username, 'video_channel.create', v.id, { enterpriseId }, ip);
      return doc.toObject();
    },

    async createUser(p: Principal, body: unknown, ip?: string) {
      const u = parse(userPayload, body);
      await refuseDuplicate(m.User.exists({ _id: u.username }), 'username', u.username);
      if (u.agencyId && !(await m.Agency.exists({ _id: u.agencyId })))
        throw new HttpError(400, `agencyId: agency "${u.agencyId}" does not exist`, 'agencyId');
      if (u.enterpriseId && !(await m.Enterprise.exists({ _id: u.enterpriseId })))
        throw new HttpError(400, `enterpriseId: enterprise "${u.enterpriseId}" does not exist`, 'enterpriseId');
      const doc = await m.User.create({
        _id: u.username,
        displayName: u.displayName,
        email: u.email,
        role: u.role,
        agencyId: u.role === 'regulator' ? u.agencyId : undefined,
        enterpriseId: u.role === 'enterprise' ? u.enterpriseId : undefined,
        passwordHash: await hashPassword(u.password),
        active: true,
        createdAt: new Date(),
      });
      await audit.record(p.username, 'user.create', u.username, { role: u.role }, ip);
      return withoutSecrets(doc.toObject());
    },
    /** A user's name, role, agency or enterprise and email; the password is reset separately, and never your own role. */
    async updateUser(p: Principal, username: string, body: unknown, ip?: string) {
      const before = await found(m.User.findById(username).lean(), 'user', username);
      // The same schema as a new user's; the password is not part of an edit, so its rule is met by a stand-in that is never stored.
      const u = parse(userPayload, { ...(body as object), username, password: 'unchanged-password' });
      if (username === p.username && u.role !== before.role)
        throw new HttpError(409, 'role: you cannot change your own role', 'role');
      if (u.role === 'regulator' && !(await m.Agency.exists({ _id: u.agencyId })))
        throw new HttpError(400, `agencyId: agency "${u.agencyId}" does not exist`, 'agencyId');
      if (u.role === 'enterprise' && !(await m.Enterprise.exists({ _id: u.enterpriseId })))
        throw new HttpError(400, `enterpriseId: enterprise "${u.enterpriseId}" does not exist`, 'enterpriseId');
      const fields = {
        displayName: u.displayName,
        role: u.role,
        email: u.email,
        agencyId: u.role === 'regulator' ? u.agencyId : undefined,
        enterpriseId: u.role === 'enterprise' ? u.enterpriseId : undefined,
      };
      await m.User.updateOne({ _id: username }, setAndUnset(fields, ['email', 'agencyId', 'enterpriseId']));
      await audit.record(p.username, 'user.update', username, { role: u.role }, ip);
    },
    /** 重置密码: a new password under the same rule as a new user's; the user's sessions and tokens end. */
    async resetPassword(p: Principal, username: string, password: unknown, ip?: string) {
      await found(m.User.findById(username).lean(), 'user', username);
      const valid = parse(userPayload.shape.password, typeof password === 'string' ? password : undefined);
      await m.User.updateOne(
        { _id: username },
        { $set: { passwordHash: await hashPassword(valid), passwordChangedAt: new Date() } },
      );
      await endUserAccess(m, username);
      await audit.record(p.username, 'user.password_reset', username, undefined, ip);
    },
    /** 启用: a deactivated user may sign in again. */
    async activateUser(p: Principal, username: string, ip?: string) {
      const res = await m.User.updateOne({ _id: username }, { $set: { active: true } });
      if (res.matchedCount === 0) throw new HttpError(404, `user "${username}" does not exist`, 'username');
      await audit.record(p.username, 'user.activate', username, undefined, ip);
    },
    async listUsers(q: Record<string, unknown>) {
      const { limit, after } = page(q);
      const filter: Record<string, unknown> = after ? { _id: { $gt: after } } : {};
      for (const k of ['role', 'agencyId', 'enterpriseId'] as const) if (typeof q[k] === 'string') filter[k] = q[k];
      return (await m.User.find(filter).sort({ _id: 1 }).limit(limit).lean()).map(withoutSecrets);
    },
    async deactivateUser(p: Principal, username: string, ip?: string) {
      if (username === p.username) throw new HttpError(409, 'username: you cannot deactivate yourself', 'username');
      const res = await m.User.updateOne({ _id: username }, { $set: { active: false } });
      if (res.matchedCount === 0) throw new HttpError(404, `user "${username}" does not exist`, 'username');
      await endUserAccess(m, username);
      await audit.record(p.username, 'user.deactivate', username, undefined, ip);
    },

    /** 清扫计划: replaces the cleaning plan of an enterprise. */
    async saveCleaningPlan(p: Principal, enterpriseId: string, body: unknown, ip?: string) {
      await found(m.Enterprise.findById(enterpriseId, { _id: 1 }).lean(), 'enterprise', enterpriseId);
      const plan = parse(cleaningPlanPayload, body);
      await m.CleaningPlan.updateOne(
        { _id: enterpriseId },
        { $set: { items: plan.items, updatedBy: p.username, updatedAt: new Date() } },
        { upsert: true },
      );
      await audit.record(p.username, 'cleaning_plan.update', enterpriseId, { items: plan.items.length }, ip);
    },
    /** An enterprise's cleaning plan (empty when none was kept). */
    async cleaningPlan(enterpriseId: string) {
      return (await m.CleaningPlan.findById(enterpriseId).lean())?.items ?? [];
    },

    /** A new data-interface key: the only time the secret is shown. Admins, or the enterprise's own users. */
    async issueDataKey(p: Principal, enterpriseId: string, body: unknown, ip?: string) {
      await visibleEnterprise(p, enterpriseId);
      return deps.dataKeys.issue(p.username, enterpriseId, parse(dataKeyRequest, body).label, ip);
    },
    async listDataKeys(p: Principal, enterpriseId: string) {
      await visibleEnterprise(p, enterpriseId);
      return deps.dataKeys.list(enterpriseId, 500);
    },
    async revokeDataKey(p: Principal, enterpriseId: string, keyId: string, ip?: string) {
      await visibleEnterprise(p, enterpriseId);
      await deps.dataKeys.revoke(p.username, enterpriseId, keyId, ip);
    },
  };
}
export type MasterDataService = ReturnType<typeof createMasterDataService>;
