/**
 * The audit trail: who did what to which thing, when, from where. Append-only and hash-chained:
 * each entry has a position `seq` (unique) and stores the SHA-256 of the entry before (`prevHash`)
 * beside its own (`hash`, over its fields and prevHash), so an altered, removed or inserted entry
 * breaks the chain from there on — `verify()` finds the first such position (the admin page
 * /admin/audit/verify and `npm run verify-audit`, scripts/verifyAudit.ts). Entries written before the
 * chain existed have no seq and are counted as `unchained`. The admin search pages by position
 * through the whole history under its filters.
 */
import crypto from 'node:crypto';
import type { Models } from '../../models';
import type { AuditEntryDoc } from '../../models/AuditEntry';

export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_PAGE = 100;

/**
 * A detail as stored and hashed: JSON values, object keys sorted, undefined and empty objects dropped
 * (Mongoose minimizes empty objects away when it stores them) — the same bytes however it is read back.
 */
function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => canonical(x) ?? null);
  if (typeof v === 'object') {
    const entries = Object.keys(v)
      .sort()
      .map((k) => [k, canonical((v as Record<string, unknown>)[k])] as const)
      .filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return v;
}
export function entryHash(
  e: Pick<AuditEntryDoc, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'detail' | 'ip' | 'prevHash'>,
): string {
  const body = JSON.stringify([
    e.seq,
    new Date(e.at).toISOString(),
    e.actor,
    e.action,
    e.target ?? null,
    canonical(e.detail) ?? null,
    e.ip ?? null,
    e.prevHash,
  ]);
  return crypto.createHash('sha256').update(body).digest('hex');
}

export interface AuditVerification {
  ok: boolean;
  /** Chained entries checked. */
  checked: number;
  /** The first position where the chain breaks, and why. */
  firstBadSeq?: number;
  problem?: string;
  /** Entries from before the chain (no seq). */
  unchained: number;
}

export interface AuditQuery {
  actor?: string;
  target?: string;
  action?: string;
  /** Instants: entries at or after `from`, before `to`. */
  from?: Date;
  to?: Date;
  /** Paging: entries with a position below this one (the previous page's last). */
  before?: number;
  limit?: number;
}

/** Appends of this process to one collection, one at a time (the app builds several audit services; other processes race on the unique seq and retry). */
const tails = new WeakMap<object, Promise<unknown>>();

export function createAuditService(deps: { models: Pick<Models, 'AuditEntry'> }) {
  const { AuditEntry } = deps.models;

  async function append(
    actor: string,
    action: string,
    target?: string,
    detail?: Record<string, unknown>,
    ip?: string,
  ): Promise<void> {
    const clean = canonical(detail === undefined ? undefined : JSON.parse(JSON.stringify(detail))) as
      Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      const last = await AuditEntry.findOne({ seq: { $gt: 0 } }, { seq: 1, hash: 1 })
        .sort({ seq: -1 })
        .lean();
      const entry: AuditEntryDoc = {
        at: new Date(),
        actor,
        action,
        target,
        detail: clean,
        ip,
        seq: (last?.seq ?? 0) + 1,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      entry.hash = entryHash(entry);
      try {
        await AuditEntry.create(entry);
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 20)); // another process took this position
      }
    }
    throw new Error(`audit: could not append ${action} after 100 attempts`);
  }

  return {
    record(
      actor: string,
      action: string,
      target?: string,
      detail?: Record<string, unknown>,
      ip?: string,
    ): Promise<void> {
      const next = (tails.get(AuditEntry) ?? Promise.resolve()).then(() => append(actor, action, target, detail, ip));
      tails.set(
        AuditEntry,
        next.catch(() => undefined),
      );
      return next;
    },

    /** Newest first under the filters, AUDIT_PAGE (or `limit` ≤ 500) at a time; `next` is the `before` of the following page. */
    async search(q: AuditQuery): Promise<{ entries: AuditEntryDoc[]; next?: number }> {
      const filter: Record<string, unknown> = { seq: q.before ? { $gt: 0, $lt: q.before } : { $gt: 0 } };
      if (q.actor) filter.actor = q.actor;
      if (q.target) filter.target = q.target;
      if (q.action) filter.action = q.action;
      if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
      const limit = Math.min(q.limit ?? AUDIT_PAGE, 500);
      const rows = await AuditEntry.find(filter)
        .sort({ seq: -1 })
        .limit(limit + 1)
        .lean();
      const entries = rows.slice(0, limit);
      return { entries, next: rows.length > limit ? entries[entries.length - 1].seq : undefined };
    },

    /** Walks the chain from the first position; the first break names its position. */
    async verify(): Promise<AuditVerification> {
      let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
      let checked = 0;
      const unchained = await AuditEntry.countDocuments({ seq: { $exists: false } });
      for (;;) {
        const batch = await AuditEntry.find({ seq: { $gt: prev.seq } })
          .sort({ seq: 1 })
          .limit(500)
          .lean();
        if (!batch.length) return { ok: true, checked, unchained };
        for (const e of batch) {
          const bad = (problem: string): AuditVerification => ({
            ok: false,
            checked,
            firstBadSeq: e.seq !== prev.seq + 1 ? prev.seq + 1 : e.seq,
            problem,
            unchained,
          });
          if (e.seq !== prev.seq + 1) return bad(`entry ${prev.seq + 1} is missing`);
          if (e.prevHash !== prev.hash)
            return bad(`entry ${e.seq} does not follow entry ${prev.seq} (prevHash differs)`);
          if (e.hash !== entryHash(e)) return bad(`entry ${e.seq} was altered (its hash does not match its fields)`);
          prev = { seq: e.seq, hash: e.hash };
          checked += 1;
        }
      }
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
