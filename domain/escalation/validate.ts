/** Validation of an escalation policy: every problem names its field (e.g. `levels.red.repeatEvery`). */
import { LEVELS } from '../cases';
import { durationProblem, type PolicyProblem } from '../policyProblems';
import { EscalationPolicy, RECIPIENT_ROLES, isRecipientRole } from './ladder';

export type { PolicyProblem } from '../policyProblems';

export function escalationPolicyProblems(p: EscalationPolicy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const roleHint = `must be one of ${RECIPIENT_ROLES.join(', ')}`;
  if (!Number.isInteger(p?.version) || p.version < 1) out.push({ field: 'version', message: 'must be an integer ≥ 1' });
  if (!p?.levels || typeof p.levels !== 'object')
    return [...out, { field: 'levels', message: `must give a rung for each of ${LEVELS.join(', ')}` }];
  for (const level of LEVELS) {
    const f = `levels.${level}`;
    const r = p.levels[level];
    if (!r || typeof r !== 'object') {
      out.push({ field: f, message: 'is missing' });
      continue;
    }
    if (!Array.isArray(r.pushTo) || r.pushTo.length === 0)
      out.push({ field: `${f}.pushTo`, message: 'must name at least one recipient role' });
    else
      r.pushTo.forEach(
        (role, i) =>
          isRecipientRole(role) ||
          out.push({ field: `${f}.pushTo.${i}`, message: `"${String(role)}" is not a role: ${roleHint}` }),
      );
    if (!isRecipientRole(r.trackedBy))
      out.push({ field: `${f}.trackedBy`, message: `"${String(r.trackedBy)}" is not a role: ${roleHint}` });
    if (r.noticeTo !== undefined && !isRecipientRole(r.noticeTo))
      out.push({ field: `${f}.noticeTo`, message: `"${String(r.noticeTo)}" is not a role: ${roleHint}` });
    for (const k of ['firstNoticeAfter', 'repeatEvery', 'onSiteAfter'] as const) {
      if (r[k] === undefined) continue;
      const problem = durationProblem(r[k]);
      if (problem) out.push({ field: `${f}.${k}`, message: problem });
    }
    if (r.firstNoticeAfter !== undefined && r.noticeTo === undefined)
      out.push({ field: `${f}.noticeTo`, message: 'must name who gets the warning notice' });
    if (r.repeatEvery !== undefined && r.firstNoticeAfter === undefined)
      out.push({ field: `${f}.firstNoticeAfter`, message: 'must be set when repeatEvery is' });
  }
  return out;
}
