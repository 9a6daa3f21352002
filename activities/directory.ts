/**
 * Directory: who holds a recipient role (domain/escalation RecipientRole) for an enterprise. An agency
 * of role R whose regionId is on the enterprise's regionPath and whose industries include the
 * enterprise's industry or are empty (the deepest such region wins); the enterprise itself (its contacts'
 * and its active users' mail: 002 第十九条 makes it the first responsible party); its headquarters mail (hqEmail). Also keeps the enterprise's current risk level.
 */
import type { Level } from '../domain/cases';
import type { RecipientRole } from '../domain/escalation';
import type { Models } from '../models';
import type { AgencyDoc, EnterpriseDoc } from '../models/masterData';
import { pickAgency } from './monitoring';

export interface Party {
  role: RecipientRole;
  /** Agency id, or the enterprise id for enterprise / enterprise_hq. */
  id: string;
  name: string;
  kind: 'agency' | 'enterprise';
  emails: string[];
  /** An agency with an outgoing chat-robot webhook (its URL is read at send time, never carried in history). */
  hasWebhook?: boolean;
}

export interface WarningContext {
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  /** One party per requested role that has someone; a role nobody holds is left out (listed in `unresolved`). */
  parties: Party[];
  unresolved: RecipientRole[];
}

export function createDirectoryActivities(deps: Pick<Models, 'Enterprise' | 'Agency' | 'User'>) {
  const m = deps;
  return {
    async resolveParties(input: { enterpriseId: string; roles: RecipientRole[] }): Promise<WarningContext> {
      const e = await m.Enterprise.findById(input.enterpriseId).lean<EnterpriseDoc>();
      if (!e) throw new Error(`enterprise ${input.enterpriseId} does not exist`);
      const agencies = await m.Agency.find({ regionId: { $in: e.regionPath } }).lean<AgencyDoc[]>();
      const parties: Party[] = [];
      const unresolved: RecipientRole[] = [];
      for (const role of [...new Set(input.roles)]) {
        if (role === 'enterprise') {
          const users = await m.User.find({ enterpriseId: e._id, role: 'enterprise', active: true }, { email: 1 })
            .limit(200)
            .lean();
          const emails = [
            ...new Set(
              [...(e.contacts ?? []).map((c) => c.email), ...users.map((u) => u.email)].filter((x): x is string => !!x),
            ),
          ];
          parties.push({ role, id: e._id, name: e.name, kind: 'enterprise', emails });
        } else if (role === 'enterprise_hq') {
          if (e.hqEmail)
            parties.push({ role, id: e._id, name: `${e.name}（总部）`, kind: 'enterprise', emails: [e.hqEmail] });
          else unresolved.push(role);
        } else {
          const a = pickAgency(agencies, role, e);
          if (a)
            parties.push({
              role,
              id: a._id,
              name: a.name,
              kind: 'agency',
              emails: a.emails ?? [],
              ...(a.webhookUrl ? { hasWebhook: true } : {}),
            });
          else unresolved.push(role);
        }
      }
      return {
        enterpriseId: e._id,
        enterpriseName: e.name,
        regionPath: e.regionPath,
        industry: e.industry,
        parties,
        unresolved,
      };
    },

    /** Enterprise.currentLevel follows its open warning (undefined when cleared). */
    async setEnterpriseLevel(input: { enterpriseId: string; level?: Level }): Promise<void> {
      await m.Enterprise.updateOne(
        { _id: input.enterpriseId },
        input.level ? { $set: { currentLevel: input.level } } : { $unset: { currentLevel: 1 } },
      );
    },
  };
}
export type DirectoryActivities = ReturnType<typeof createDirectoryActivities>;
