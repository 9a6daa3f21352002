/**
 * The enterprise's configuration page (an overview: its data, devices by dust-removal system, cleaning
 * plan, each with a link to its form in web/routes/portalConfig.ts) and data-interface key rotation (数据接口密钥轮换). Until the
 * masterdata developer's data-key service lands this reads and writes DataKey directly with
 * lib/dataKeys.ts: a new key is shown once (only its hash is stored); revoking is explicit, so the
 * enterprise can switch its systems over before the old key stops working.
 */
import type { Principal } from '../../domain/access';
import { generateDataKey } from '../../lib/dataKeys';
import type { Models } from '../../models';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';

export function createPortalKeyService(deps: { models: Models; audit: AuditService }) {
  const { models, audit } = deps;
  function enterpriseOf(p: Principal): string {
    if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'only a user of the enterprise may manage its configuration');
    return p.enterpriseId;
  }
  return {
    async configuration(p: Principal) {
      const enterpriseId = enterpriseOf(p);
      const [enterprise, devices, keys, plan] = await Promise.all([
        models.Enterprise.findById(enterpriseId).lean(),
        models.Device.find({ enterpriseId }).sort({ _id: 1 }).limit(500).lean(),
        models.DataKey.find({ enterpriseId }, { secretHash: 0 }).sort({ createdAt: -1 }).limit(50).lean(),
        models.CleaningPlan.findById(enterpriseId).lean(),
      ]);
      // Devices by dust-removal system (除尘系统), those in none last; the edit forms are web/routes/portalConfig.ts.
      const bySystem = new Map<string, typeof devices>();
      for (const d of devices) bySystem.set(d.system ?? '', [...(bySystem.get(d.system ?? '') ?? []), d]);
      const systems = [...bySystem].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b))).map(([system, list]) => ({ system, devices: list }));
      return { enterprise, devices, systems, keys, cleaningPlan: plan?.items ?? [] };
    },
    async issueKey(p: Principal, ip?: string): Promise<{ key: string; keyId: string }> {
      const enterpriseId = enterpriseOf(p);
      const active = await models.DataKey.countDocuments({ enterpriseId, revokedAt: { $exists: false } });
      if (active >= 3) throw new HttpError(409, 'keys: at most 3 active keys; revoke an old one first', 'keys');
      const k = generateDataKey();
      await models.DataKey.create({ _id: k.keyId, enterpriseId, secretHash: k.secretHash, label: 'portal', createdAt: new Date(), createdBy: p.username });
      await audit.record(p.username, 'data_key.issue', k.keyId, { enterpriseId }, ip);
      return { key: k.key, keyId: k.keyId };
    },
    async revokeKey(p: Principal, keyId: string, ip?: string): Promise<void> {
      const enterpriseId = enterpriseOf(p);
      const r = await models.DataKey.updateOne({ _id: keyId, enterpriseId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
      if (r.matchedCount === 0) throw new HttpError(404, `keyId: no active key ${keyId} of your enterprise`, 'keyId');
      await audit.record(p.username, 'data_key.revoke', keyId, { enterpriseId }, ip);
    },
  };
}
export type PortalKeyService = ReturnType<typeof createPortalKeyService>;
