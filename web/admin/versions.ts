/**
 * Policies and rules are data, versioned: a change is stored as the next version (its _id), never an edit of
 * the one in force, so running cases keep the version they started with. One way to store a version, for the
 * escalation ladder, the enforcement clocks, the alarm and offline policies and the report rules.
 */
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
