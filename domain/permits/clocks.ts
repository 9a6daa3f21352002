/**
 * The clock maths of a permit: sign-off order, analysis freshness before work and after an interruption,
 * when the next re-analysis and the guardian's next check-in fall due, and whether an extension fits the
 * validity. Pure: times in epoch milliseconds; the workflow supplies its own (deterministic) now.
 */
import { durationZh, parseDuration } from '../durations';
import { citationOf } from './clauses';
import type { GasAnalysis, PermitApplication } from './application';
import type { PermitRule } from './rules';
import { SIGN_OFF_ROLE_ZH, type SignOffRole } from './workTypes';

/** The next role to sign, or undefined when every signer has signed. */
export function nextSigner(rule: PermitRule, signed: readonly SignOffRole[]): SignOffRole | undefined {
  return rule.signOff.value.find((r) => !signed.includes(r));
}

/** Why a sign-off is refused (out of order, or not the user the application names), or undefined. */
export function signOffProblem(
  rule: PermitRule,
  app: Pick<PermitApplication, 'signers'>,
  signed: readonly SignOffRole[],
  s: { role: SignOffRole; by: string },
): string | undefined {
  const next = nextSigner(rule, signed);
  if (!next) return 'role: every signer has signed';
  if (s.role !== next)
    return `role: the next sign-off is ${next} (${SIGN_OFF_ROLE_ZH[next]}), not ${s.role} (${citationOf(rule.signOff.source)})`;
  const named = app.signers.find((x) => x.role === s.role);
  if (!named || named.userId !== s.by)
    return `by: ${s.role} is signed by ${named?.userId ?? 'the user the permit names'}, not ${s.by}`;
  return undefined;
}

/** The latest analysis taken at or before now (by sample time). */
export function latestAnalysis(analyses: readonly GasAnalysis[], nowMs: number): GasAnalysis | undefined {
  let best: GasAnalysis | undefined;
  for (const a of analyses) {
    const t = Date.parse(a.at);
    if (t <= nowMs && (!best || t > Date.parse(best.at))) best = a;
  }
  return best;
}

/**
 * Why work may not start (or resume) on the analyses at hand, or undefined: the rule needs an analysis,
 * the latest must be qualified, no older than analysisMaxAge, and (after a long interruption) taken after
 * `notBeforeMs`.
 */
export function analysisProblem(
  rule: PermitRule,
  analyses: readonly GasAnalysis[],
  nowMs: number,
  notBeforeMs?: number,
): string | undefined {
  if (!rule.analysisMaxAge) return undefined;
  const a = latestAnalysis(analyses, nowMs);
  const cite = citationOf(rule.analysisMaxAge.source);
  if (!a) return `gasAnalysis: a gas analysis is required before the work (${cite})`;
  if (notBeforeMs !== undefined && Date.parse(a.at) < notBeforeMs)
    return `gasAnalysis: the interruption exceeded ${durationZh(rule.interruptionLimit?.value ?? '')}; a new gas analysis is required (${citationOf(rule.interruptionLimit?.source ?? rule.analysisMaxAge.source)})`;
  if (!a.qualified) return `gasAnalysis: the latest analysis (${a.at}) is not qualified`;
  if (nowMs - Date.parse(a.at) > parseDuration(rule.analysisMaxAge.value))
    return `gasAnalysis: the latest analysis (${a.at}) is older than ${durationZh(rule.analysisMaxAge.value)} (${cite})`;
  return undefined;
}

/** An interruption from suspendedAt to now longer than the rule's limit needs a new analysis. */
export function interruptionExceeded(rule: PermitRule, suspendedAtMs: number, nowMs: number): boolean {
  return !!rule.interruptionLimit && nowMs - suspendedAtMs > parseDuration(rule.interruptionLimit.value);
}

/** When the next re-analysis falls due during the work (undefined: none required). */
export function reanalysisDue(rule: PermitRule, lastAnalysisMs: number): number | undefined {
  return rule.reanalysisEvery ? lastAnalysisMs + parseDuration(rule.reanalysisEvery.value) : undefined;
}

/** When the guardian's next check-in falls due. */
export function checkInDue(rule: PermitRule, lastCheckInMs: number): number {
  return lastCheckInMs + parseDuration(rule.guardianCheckInEvery.value);
}

/** Why an extension to `untilMs` is refused, or undefined: it must be later, and the whole window within the validity. */
export function extensionProblem(
  rule: PermitRule,
  validFromMs: number,
  validToMs: number,
  untilMs: number,
): string | undefined {
  if (!(untilMs > validToMs)) return 'until: must be after the current end of validity';
  if (rule.validity && untilMs - validFromMs > parseDuration(rule.validity.value)) {
    return `until: the permit may be valid at most ${durationZh(rule.validity.value)} in all (${citationOf(rule.validity.source)}); beyond that a new permit is needed (${citationOf('general.reissue')})`;
  }
  return undefined;
}
