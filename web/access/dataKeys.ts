/**
 * Data-interface keys (数据接口密钥): the one way a key is issued, listed and revoked, for the portal's
 * configuration page and the API alike. A new key is shown once (only its hash is stored, lib/dataKeys.ts);
 * at most MAX_ACTIVE_DATA_KEYS are active per enterprise, so rotating is issue → switch systems over →
 * revoke. Who may act on which enterprise is the caller's check (jurisdiction), not this service's.
 */
import { z } from 'zod';
import { type BrokerUser, dataKeyUser, mosquittoPasswordHash } from '../../lib/brokerAuth';
import { generateDataKey } from '../../lib/dataKeys';
import type { Models } from '../../models';
import { HttpError } from '../errors';
import type { AuditService } from './audit';

export const MAX_ACTIVE_DATA_KEYS = 3;

/** What a caller names when issuing a key. */
export const dataKeyRequest = z.object({ label: z.string().trim().max(100).optional() });

export function createDataKeyService(deps: {
  models: Pick<Models, 'DataKey'>;
  audit: AuditService;
  /** Told after a key is issued or revoked, and awaited: the MQTT broker's users follow the keys (web/monitoring/mqtt.ts). */
  keysChanged?: () => Promise<void>;
}) {
  const { models, audit } = deps;
  return {
    async issue(
      actor: string,
      enterpriseId: string,
      label: string | undefined,
      ip?: string,
    ): Promise<{ keyId: string; key: string }> {
      const active = await models.DataKey.countDocuments({ enterpriseId, revokedAt: { $exists: false } });
      if (active >= MAX_ACTIVE_DATA_KEYS)
        throw new HttpError(409, `keys: at most ${MAX_ACTIVE_DATA_KEYS} active keys; revoke an old one first`, 'keys');
      const k = generateDataKey();
      await models.DataKey.create({
        _id: k.keyId,
        enterpriseId,
        secretHash: k.secretHash,
        brokerPasswordHash: mosquittoPasswordHash(k.key),
        label,
        createdAt: new Date(),
        createdBy: actor,
      });
      await audit.record(actor, 'data_key.issue', k.keyId, { enterpriseId, label }, ip);
      await deps.keysChanged?.();
      return { keyId: k.keyId, key: k.key };
    },
    /** The enterprise's keys, newest first, without their hashes. */
    list(enterpriseId: string, limit = 50) {
      return models.DataKey.find({ enterpriseId }, { secretHash: 0 }).sort({ createdAt: -1 }).limit(limit).lean();
    },
    async revoke(actor: string, enterpriseId: string, keyId: string, ip?: string): Promise<void> {
      const r = await models.DataKey.updateOne(
        { _id: keyId, enterpriseId, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date() } },
      );
      if (r.matchedCount === 0)
        throw new HttpError(404, `keyId: no active key ${keyId} of enterprise ${enterpriseId}`, 'keyId');
      await audit.record(actor, 'data_key.revoke', keyId, { enterpriseId }, ip);
      // Awaited: when the answer says revoked, the broker has dropped the key's user.
      await deps.keysChanged?.();
    },
    /** The active keys as MQTT broker users (username = keyId); a key issued before MQTT has no broker hash and is left out. */
    async brokerUsers(): Promise<BrokerUser[]> {
      const keys = await models.DataKey.find(
        { revokedAt: { $exists: false }, brokerPasswordHash: { $exists: true } },
        { enterpriseId: 1, brokerPasswordHash: 1 },
      ).lean();
      return keys.map((k) => dataKeyUser(k._id, k.enterpriseId, k.brokerPasswordHash!));
    },
  };
}
export type DataKeyService = ReturnType<typeof createDataKeyService>;
