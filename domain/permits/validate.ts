/** Validation of a permit policy: every problem names its field (e.g. `rules.hot_work.special.validity.value`). */
import { durationProblem, type PolicyProblem } from '../policyProblems';
import { SET_BY_ENTERPRISE, isClauseId } from './clauses';
import type { PermitPolicy, PermitRule } from './rules';
import { LEVELS_OF, WORK_TYPES, isSignOffRole } from './workTypes';

export type { PolicyProblem } from '../policyProblems';

function sourceProblem(v: unknown): string | undefined {
  return v === SET_BY_ENTERPRISE || isClauseId(v)
    ? undefined
    : `must be a clause of GB 30871-2022 (domain/permits/clauses.ts) or "${SET_BY_ENTERPRISE}"`;
}

const DURATION_FIELDS = [
  'validity',
  'analysisMaxAge',
  'interruptionLimit',
  'reanalysisEvery',
  'guardianCheckInEvery',
] as const;

function ruleProblems(r: PermitRule, f: string): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  for (const k of DURATION_FIELDS) {
    const ruled = r[k];
    if (ruled === undefined) {
      if (k === 'guardianCheckInEvery') out.push({ field: `${f}.${k}`, message: 'is missing' });
      continue;
    }
    const p = durationProblem(ruled?.value);
    if (p) out.push({ field: `${f}.${k}.value`, message: p });
    const s = sourceProblem(ruled?.source);
    if (s) out.push({ field: `${f}.${k}.source`, message: s });
  }
  if (r.interruptionLimit && !r.analysisMaxAge)
    out.push({
      field: `${f}.analysisMaxAge`,
      message: 'must be set when interruptionLimit is (the new analysis must be fresh)',
    });
  if (r.continuousMonitoring !== undefined && typeof r.continuousMonitoring?.value !== 'boolean')
    out.push({ field: `${f}.continuousMonitoring.value`, message: 'must be true or false' });
  const signers = r.signOff?.value;
  if (!Array.isArray(signers) || signers.length === 0)
    out.push({ field: `${f}.signOff.value`, message: 'must name at least one signer' });
  else {
    signers.forEach(
      (s, i) =>
        isSignOffRole(s) ||
        out.push({ field: `${f}.signOff.value.${i}`, message: `"${String(s)}" is not a sign-off role` }),
    );
    if (new Set(signers).size !== signers.length)
      out.push({ field: `${f}.signOff.value`, message: 'names a signer twice' });
  }
  const sp = sourceProblem(r.signOff?.source);
  if (sp) out.push({ field: `${f}.signOff.source`, message: sp });
  if (!isSignOffRole(r.approver?.value) || !Array.isArray(signers) || !signers.includes(r.approver.value))
    out.push({ field: `${f}.approver.value`, message: 'must be one of the signers' });
  const ap = sourceProblem(r.approver?.source);
  if (ap) out.push({ field: `${f}.approver.source`, message: ap });
  return out;
}

export function permitPolicyProblems(p: PermitPolicy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  if (!Number.isInteger(p?.version) || p.version < 1) out.push({ field: 'version', message: 'must be an integer ≥ 1' });
  if (!p?.rules || typeof p.rules !== 'object')
    return [...out, { field: 'rules', message: `must give rules for each of ${WORK_TYPES.join(', ')}` }];
  for (const type of WORK_TYPES) {
    for (const level of LEVELS_OF[type]) {
      const f = `rules.${type}.${level}`;
      const r = p.rules[type]?.[level];
      if (!r || typeof r !== 'object') out.push({ field: f, message: 'is missing' });
      else out.push(...ruleProblems(r, f));
    }
  }
  return out;
}
