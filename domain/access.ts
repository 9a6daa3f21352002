/**
 * Jurisdiction (属地): who may see which enterprise. An enterprise user sees only its enterprise;
 * a regulator sees enterprises inside its agency's region and industry scope; an admin sees all.
 */
import type { Industry, UserRole } from './masterData';

export interface Principal {
  username: string;
  role: UserRole;
  displayName: string;
  agencyId?: string;
  enterpriseId?: string;
  /** For regulators: the agency's region and industries, loaded with the principal. */
  scope?: { regionId: string; industries: Industry[] };
}

export interface EnterpriseScopeFacts {
  _id: string;
  regionPath: string[];
  industry: Industry;
}

export function canSeeEnterprise(p: Principal, e: EnterpriseScopeFacts): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'enterprise':
      return p.enterpriseId === e._id;
    case 'regulator':
      return (
        !!p.scope &&
        e.regionPath.includes(p.scope.regionId) &&
        (p.scope.industries.length === 0 || p.scope.industries.includes(e.industry))
      );
  }
}

/** The MongoDB filter on enterprises (or anything carrying regionPath/industry) a principal may see. */
export function enterpriseFilter(p: Principal): Record<string, unknown> {
  switch (p.role) {
    case 'admin':
      return {};
    case 'enterprise':
      return { _id: p.enterpriseId ?? '\u0000none' };
    case 'regulator':
      if (!p.scope) return { _id: '\u0000none' };
      return p.scope.industries.length
        ? { regionPath: p.scope.regionId, industry: { $in: p.scope.industries } }
        : { regionPath: p.scope.regionId };
  }
}
