/**
 * Policies and rules are data, versioned: a change is stored as the next version (its _id), never an edit of
 * the one in force, so running cases keep the version they started with. One way to store a version, for the
 * escalation ladder, the enforcement clocks, the alarm and offline policies and the report rules.
 */
import type { Model } from 'mongoose';
import type { Principal } from '../../domain/access';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';

export interface StoredVersion {
  version: number;
}

/**
 * Stores a policy as its next version (the caller checks the administrator): 400 naming the first problem's field;
 * 409 (`conflict`) when another administrator stored that version meanwhile; audited as `<name>.changed`.
 */
export async function storeVersion<T extends StoredVersion>(
  deps: { model: { create(doc: object): Promise<unknown> }; audit: AuditService },
  what: { name: string; problems: { field: string; message: string }[]; conflict?: string },
  policy: T,
  p: Principal,
  ip?: string,
): Promise<T> {
  const problem = what.problems[0];
  if (problem) throw new HttpError(400, `${problem.field}: ${problem.message}`, problem.field);
  try {
    await deps.model.create({ _id: policy.version, ...policy, updatedBy: p.username, updatedAt: new Date() });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw new HttpError(409, what.conflict ?? 'the policy changed meanwhile; read it again', 'version');
    throw err;
  }
  await deps.audit.record(
    p.username,
    `${what.name}.changed`,
    `${what.name}/${policy.version}`,
    { ...policy } as Record<string, unknown>,
    ip,
  );
  return policy;
}

/** One line of a policy's history: a stored version, or the shipped default nobody replaced (not stored). */
export interface VersionLine {
  version: number;
  updatedBy?: string;
  updatedAt?: Date;
  shipped?: boolean;
}

type VersionedDoc = { _id: number; version: number; updatedBy?: string; updatedAt?: Date };

/**
 * The versions stored in `model` (any of the versioned policy collections: their documents are VersionedDoc),
 * newest first, 100 at most; the shipped default's version last when none replaced it.
 */
export async function versionHistory(model: object, shippedVersion: number): Promise<VersionLine[]> {
  const docs = await (model as Model<VersionedDoc>)
    .find({}, { version: 1, updatedBy: 1, updatedAt: 1 })
    .sort({ _id: -1 })
    .limit(100)
    .lean<VersionedDoc[]>();
  const list: VersionLine[] = docs.map((d) => ({ version: d.version, updatedBy: d.updatedBy, updatedAt: d.updatedAt }));
  if (!list.some((d) => d.version === shippedVersion)) list.push({ version: shippedVersion, shipped: true });
  return list;
}
