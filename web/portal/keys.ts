/**
 * The enterprise's configuration page (an overview: its data, devices by dust-removal system, cleaning
 * plan, each with a link to its form in portal/configRoutes.ts) and data-interface key rotation
 * (数据接口密钥轮换) through access/dataKeys.ts, the API's way: a new key is shown once; revoking is
 * explicit, so the enterprise can switch its systems over before the old key stops working.
 */
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import { HttpError } from '../errors';
import type { DataKeyService } from '../access/dataKeys';

export function createPortalKeyService(deps: { models: Models; dataKeys: DataKeyService }) {
  const { models } = deps;
  function enterpriseOf(p: Principal): string {
    if (p.role !== 'enterprise' || !p.enterpriseId)
      throw new HttpError(403, 'only a user of the enterprise may manage its configuration');
    return p.enterpriseId;
  }
  return {
    async configuration(p: Principal) {
      const enterpriseId = enterpriseOf(p);
      const [enterprise, devices, keys, plan] = await Promise.all([
        models.Enterprise.findById(enterpriseId).lean(),
        models.Device.find({ enterpriseId }).sort({ _id: 1 }).limit(500).lean(),
        deps.dataKeys.list(enterpriseId),
        models.CleaningPlan.findById(enterpriseId).lean(),
      ]);
      // Devices by dust-removal system (除尘系统), those in none last; the edit forms are ./configRoutes.ts.
      const bySystem = new Map<string, typeof devices>();
      for (const d of devices) bySystem.set(d.system ?? '', [...(bySystem.get(d.system ?? '') ?? []), d]);
      const systems = [...bySystem]
        .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
        .map(([system, list]) => ({ system, devices: list }));
      return { enterprise, devices, systems, keys, cleaningPlan: plan?.items ?? [] };
    },
    /** The portal's key: labelled `portal`, issued as the API issues one (access/dataKeys.ts). */
    issueKey: (p: Principal, ip?: string) => deps.dataKeys.issue(p.username, enterpriseOf(p), 'portal', ip),
    revokeKey: (p: Principal, keyId: string, ip?: string) =>
      deps.dataKeys.revoke(p.username, enterpriseOf(p), keyId, ip),
  };
}
export type PortalKeyService = ReturnType<typeof createPortalKeyService>;
