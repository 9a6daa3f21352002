/**
 * Master-data administration: regions, agencies, enterprises, devices (with their indicators),
 * video channels, users and data-interface keys. One zod schema per payload (the admin pages can
 * use the same), references checked against the database, duplicates refused with 409 naming the
 * field, every write audited. Reads are cut by jurisdiction (domain/access.ts).
 */
import { z } from 'zod';
import { enterpriseFilter, canSeeEnterprise, Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import { AGENCY_ROLES, DUST_TYPES, ENTERPRISE_SIZES, INDUSTRIES, REGION_KINDS, USER_ROLES } from '../../domain/masterData';
import { dataKeyRequest, type DataKeyService } from '../access/dataKeys';
import { hashPassword } from '../../lib/passwords';
import type { Models } from '../../models';
import type { AgencyDoc } from '../../models/masterData';
import { HttpError, fromZod } from '../errors';
import type { AuditService } from '../access/audit';
import { endUserAccess } from '../access/auth';
import { checkWebhookTarget } from '../access/webhookTargets';
import { indicatorSchema, usccSchema } from './schemas';

const id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . or -');
const name = z.string().trim().min(1, 'must not be empty').max(200);
const email = z.string().trim().email('must be an email address');

export const regionPayload = z.object({ id, name, nameEn: z.string().trim().max(200).optional(), kind: z.enum(REGION_KINDS), parentId: id.optional() });
export const agencyPayload = z.object({
  id,
  name,
  role: z.enum(AGENCY_ROLES),
  regionId: id,
  industries: z.array(z.enum(INDUSTRIES)).default([]),
  emails: z.array(email).default([]),
  /** A chat robot's webhook (企业微信/钉钉): http or https only, posted to by the risk-warning workflow. */
  webhookUrl: z
    .string()
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be an http or https URL')
    .optional(),
});
/**
 * An agency as read back: the chat robot's webhook URL carries its secret key, so it is write-only
 * (only whether one is set); the mailing list is the administrator's.
 */
export function agencyView(p: Principal, a: AgencyDoc) {
  const { webhookUrl, emails, ...rest } = a;
  return { ...rest, ...(p.role === 'admin' ? { emails } : {}), webhookConfigured: !!webhookUrl };
}
export const enterprisePayload = z.object({
  id: id.optional(),
  name,
  uscc: usccSchema,
  regionId: id,
  industry: z.enum(INDUSTRIES),
  dustType: z.enum(DUST_TYPES).optional(),
  dustWorkers: z.number().int().min(0).default(0),
  size: z.enum(ENTERPRISE_SIZES),
  inherentRisk: z.enum(LEVELS),
  address: z.string().trim().max(300).optional(),
  contacts: z.array(z.object({ name, phone: z.string().trim().max(40).optional(), email: email.optional(), title: z.string().trim().max(60).optional() })).default([]),
  hqEmail: email.optional(),
  shouldConnect: z.boolean().default(true),
  connected: z.boolean().default(false),
});
export const devicePayload = z.object({
  id,
  enterpriseId: id,
  name,
  kind: z.string().trim().min(1).max(60),
  system: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'suspended', 'retired']).default('active'),
  indicators: z
    .array(indicatorSchema)
    .min(1, 'a device needs at least one indicator')
    .refine((list) => new Set(list.map((i) => i.code)).size === list.length, 'indicator codes must be unique within the device'),
});
export const videoChannelPayload = z.object({ id, name, location: z.string().trim().max(200).optional(), intervalSec: z.number().int().positive().default(300) });
export const userPayload = z
  .object({
    username: id,
    password: z.string().min(8, 'must be at least 8 characters'),
    displayName: name,
    role: z.enum(USER_ROLES),
    agencyId: id.optional(),
    enterpriseId: id.optional(),
    email: email.optional(),
  })
  .superRefine((u, ctx) => {
    if (u.role === 'regulator' && !u.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'is required for a regulator' });
    if (u.role === 'enterprise' && !u.enterpriseId) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'is required for an enterprise user' });
  });

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

const page = (q: { limit?: unknown; after?: unknown }) => ({
  limit: Math.min(Math.max(Number(q.limit) || 50, 1), 500),
  after: typeof q.after === 'string' && q.after ? q.after : undefined,
});

/** Duplicate key → 409 naming the field; the id check runs first so the message is exact. */
async function refuseDuplicate(exists: Promise<unknown>, field: string, value: string): Promise<void> {
  if (await exists) throw new HttpError(409, `${field}: "${value}" already exists`, field);
}

export function createMasterDataAdminService(deps: { models: Models; audit: AuditService; dataKeys: DataKeyService; allowPrivateWebhooks?: boolean }) {
  const { models: m, audit } = deps;

  async function regionPath(regionId: string, field = 'regionId'): Promise<string[]> {
    const region = await m.Region.findById(regionId).lean();
    if (!region) throw new HttpError(400, `${field}: region "${regionId}" does not exist`, field);
    return region.path;
  }
  async function visibleEnterprise(p: Principal, enterpriseId: string) {
    const e = await m.Enterprise.findById(enterpriseId).lean();
    if (!e) throw new HttpError(404, `enterprise "${enterpriseId}" does not exist`, 'enterpriseId');
    if (!canSeeEnterprise(p, e)) throw new HttpError(403, `enterprise "${enterpriseId}" is outside your jurisdiction`, 'enterpriseId');
    return e;
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
      const doc = await m.Region.create({ _id: r.id, name: r.name, nameEn: r.nameEn, kind: r.kind, parentId: r.parentId, path });
      await audit.record(p.username, 'region.create', r.id, undefined, ip);
      return doc.toObject();
    },
    async listRegions(q: Record<string, unknown>) {
      const { limit, after } = page(q);
      const filter: Record<string, unknown> = after ? { _id: { $gt: after } } : {};
      if (typeof q.parentId === 'string') filter.parentId = q.parentId;
      return m.Region.find(filter).sort({ _id: 1 }).limit(limit).lean();
    },

    /** 400 naming webhookUrl for a robot at a loopback or private address (services/webhookTargets.ts). */
    checkWebhookTarget: (url: string | undefined) => checkWebhookTarget(url, deps.allowPrivateWebhooks),

    async createAgency(p: Principal, body: unknown, ip?: string) {
      const a = parse(agencyPayload, body);
      await checkWebhookTarget(a.webhookUrl, deps.allowPrivateWebhooks);
      await refuseDuplicate(m.Agency.exists({ _id: a.id }), 'id', a.id);
      await regionPath(a.regionId);
      const doc = await m.Agency.create({ _id: a.id, name: a.name, role: a.role, regionId: a.regionId, industries: a.industries, emails: a.emails, webhookUrl: a.webhookUrl });
      await audit.record(p.username, 'agency.create', a.id, { webhookConfigured: !!a.webhookUrl }, ip);
      return agencyView(p, doc.toObject());
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
    async updateEnterprise(p: Principal, enterpriseId: string, body: unknown, ip?: string) {
      await visibleEnterprise(p, enterpriseId);
      const e = parse(enterprisePayload.partial().omit({ id: true }), body);
      const set: Record<string, unknown> = { ...e };
      if (e.uscc) await refuseDuplicate(m.Enterprise.exists({ uscc: e.uscc, _id: { $ne: enterpriseId } }), 'uscc', e.uscc);
      if (e.regionId) set.regionPath = await regionPath(e.regionId);
      await m.Enterprise.updateOne({ _id: enterpriseId }, { $set: set });
      await audit.record(p.username, 'enterprise.update', enterpriseId, { fields: Object.keys(e) }, ip);
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
      await visibleEnterprise(p, d.enterpriseId);
      await refuseDuplicate(m.Device.exists({ _id: d.id }), 'id', d.id);
      const { id: _id, ...fields } = d;
      const doc = await m.Device.create({ ...fields, _id: d.id, createdAt: new Date() });
      await audit.record(p.username, 'device.create', d.id, { enterpriseId: d.enterpriseId }, ip);
      return doc.toObject();
    },
    async listDevices(p: Principal, q: Record<string, unknown>) {
      if (typeof q.enterpriseId !== 'string') throw new HttpError(400, 'enterpriseId: is required (devices are listed per enterprise)', 'enterpriseId');
      await visibleEnterprise(p, q.enterpriseId);
      return m.Device.find({ enterpriseId: q.enterpriseId }).sort({ _id: 1 }).limit(page(q).limit).lean();
    },

    async createVideoChannel(p: Principal, enterpriseId: string, body: unknown, ip?: string) {
      await visibleEnterprise(p, enterpriseId);
      const v = parse(videoChannelPayload, body);
      await refuseDuplicate(m.VideoChannel.exists({ _id: v.id }), 'id', v.id);
      const doc = await m.VideoChannel.create({ _id: v.id, enterpriseId, name: v.name, location: v.location, intervalSec: v.intervalSec, createdAt: new Date() });
      await audit.record(p.username, 'video_channel.create', v.id, { enterpriseId }, ip);
      return doc.toObject();
    },

    async createUser(p: Principal, body: unknown, ip?: string) {
      const u = parse(userPayload, body);
      await refuseDuplicate(m.User.exists({ _id: u.username }), 'username', u.username);
      if (u.agencyId && !(await m.Agency.exists({ _id: u.agencyId }))) throw new HttpError(400, `agencyId: agency "${u.agencyId}" does not exist`, 'agencyId');
      if (u.enterpriseId && !(await m.Enterprise.exists({ _id: u.enterpriseId }))) throw new HttpError(400, `enterpriseId: enterprise "${u.enterpriseId}" does not exist`, 'enterpriseId');
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
export type MasterDataAdminService = ReturnType<typeof createMasterDataAdminService>;
