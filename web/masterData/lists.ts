/**
 * Administration lists (users, agencies, regions, enterprises), read-only and paged by _id; the
 * create/edit forms are masterData/pages.ts.
 */
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import { HttpError } from '../errors';

export const ADMIN_LISTS = ['users', 'agencies', 'regions', 'enterprises'] as const;
export type AdminList = (typeof ADMIN_LISTS)[number];
const PAGE = 50;

export function createAdminListService(deps: { models: Models }) {
  const { models } = deps;
  return {
    async list(p: Principal, kind: string, after?: string) {
      if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
      if (!(ADMIN_LISTS as readonly string[]).includes(kind)) throw new HttpError(404, `no list ${kind}`, 'kind');
      const filter = after ? { _id: { $gt: after } } : {};
      let rows: Record<string, unknown>[];
      let columns: string[];
      switch (kind as AdminList) {
        case 'users':
          columns = ['_id', 'displayName', 'role', 'agencyId', 'enterpriseId', 'active'];
          rows = await models.User.find(filter, { passwordHash: 0 })
            .sort({ _id: 1 })
            .limit(PAGE + 1)
            .lean();
          break;
        case 'agencies':
          columns = ['_id', 'name', 'role', 'regionId', 'industries'];
          rows = (await models.Agency.find(filter)
            .sort({ _id: 1 })
            .limit(PAGE + 1)
            .lean()) as unknown as Record<string, unknown>[];
          break;
        case 'regions':
          columns = ['_id', 'name', 'kind', 'parentId'];
          rows = (await models.Region.find(filter)
            .sort({ _id: 1 })
            .limit(PAGE + 1)
            .lean()) as unknown as Record<string, unknown>[];
          break;
        case 'enterprises':
          columns = ['_id', 'name', 'uscc', 'regionId', 'industry', 'currentLevel', 'connected'];
          rows = await models.Enterprise.find(filter, { contacts: 0 })
            .sort({ _id: 1 })
            .limit(PAGE + 1)
            .lean();
          break;
      }
      const more = rows.length > PAGE;
      rows = rows.slice(0, PAGE);
      return {
        kind,
        columns,
        rows: rows.map((r) =>
          columns.map((c) =>
            Array.isArray(r[c])
              ? (r[c] as unknown[]).join(', ')
              : r[c] === undefined
                ? ''
                : String(r[c] as string | number | boolean),
          ),
        ),
        more,
        next: more ? String(rows[rows.length - 1]._id) : undefined,
      };
    },
  };
}
export type AdminListService = ReturnType<typeof createAdminListService>;
