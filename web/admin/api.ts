/** The escalation ladder and the enforcement clocks, versioned (after `bearerAuth`; a new version is the administrators'). */
import { operations, versionedPolicy } from '../api/v1/operations';
import type { Services } from '../composition';
import { enforcementPolicyForm, escalationPolicyForm } from './policies';

export function policiesApi(s: Services) {
  const api = operations('policies');
  versionedPolicy(api, '/policies/escalation', {
    form: escalationPolicyForm,
    current: () => s.policies.currentEscalation(),
    store: (p, form, ip) => s.policies.setEscalation(p, form, ip),
    inForce: 'The escalation policy in force (the ladder per level, seed 002 第二十至二十三条), with its version',
    newVersion:
      'A new version of the escalation policy (administrators); applies to warnings opened after it, running ones keep theirs',
  });
  versionedPolicy(api, '/policies/enforcement', {
    form: enforcementPolicyForm,
    current: () => s.policies.currentEnforcement(),
    store: (p, form, ip) => s.policies.setEnforcement(p, form, ip),
    inForce: 'The interview (约谈) and penalty (行政处罚) clocks in force, with their version',
    newVersion:
      'A new version of the enforcement clocks (administrators); applies to interviews and penalties opened after it',
  });
  return api.router;
}
