/**
 * Per-enterprise data-interface keys (002 附件2 三(二)2: credentials per enterprise, kept secret by it).
 * A key reads `wfk.<keyId>.<secret>`; only the SHA-256 of the whole key is stored, the key itself is
 * shown once. Lookup by keyId, constant-time compare of the hash.
 */
import crypto from 'node:crypto';
import { sha256 } from './passwords';
import type { DataKeyDoc } from '../models/access';
import type { Model } from 'mongoose';

export function generateDataKey(): { keyId: string; key: string; secretHash: string } {
  const keyId = crypto.randomBytes(6).toString('hex');
  const key = `wfk.${keyId}.${crypto.randomBytes(24).toString('base64url')}`;
  return { keyId, key, secretHash: sha256(key) };
}

export function parseDataKey(key: string): { keyId: string } | undefined {
  const m = /^wfk\.([0-9a-f]{12})\.[A-Za-z0-9_-]{32}$/.exec(key);
  return m ? { keyId: m[1] } : undefined;
}

/** The enterprise a presented key belongs to, or undefined (unknown, revoked or wrong secret). */
export async function verifyDataKey(
  DataKey: Model<DataKeyDoc>,
  key: string,
): Promise<{ enterpriseId: string; keyId: string } | undefined> {
  const parsed = parseDataKey(key);
  if (!parsed) return undefined;
  const doc = await DataKey.findById(parsed.keyId).lean();
  if (!doc || doc.revokedAt) return undefined;
  const a = Buffer.from(doc.secretHash, 'hex');
  const b = Buffer.from(sha256(key), 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b)
    ? { enterpriseId: doc.enterpriseId, keyId: doc._id }
    : undefined;
}
