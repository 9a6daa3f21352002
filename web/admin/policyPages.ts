/**
 * The administrator's policy pages: the escalation ladder (分级响应阶梯), the report rules
 * (周报/月报规则), the enforcement clocks (约谈/行政处罚时限), the offline rules (离线规则) and the alarm policy (监测报警策略), each versioned. Show the version in force and the history, and turn the edit form
 * into a new version through the owning service (policies.ts, reportRules.ts) with the API's own
 * schema, so a refusal names the same field the API would (`levels.red.repeatEvery`).
 */
import type { Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import { durationZh, parseDuration } from '../../domain/durations';
import {
  DEFAULT_ENFORCEMENT_POLICY,
  INTERVIEW_CLOCKS,
  PENALTY_CLOCKS,
  type EnforcementPolicy,
} from '../../domain/enforcement';
import { RECIPIENT_ROLES, type EscalationPolicy } from '../../domain/escalation';
import { DEFAULT_OFFLINE_POLICY, type OfflinePolicy } from '../../domain/offline';
import { DEFAULT_ALARM_POLICY, faultRepairWithinOf, type AlarmPolicy } from '../../domain/alarms';
import { DEFAULT_REPORT_RULES, type ReportRules } from '../../domain/reports/rules';
import type { Models } from '../../models';
import { fromZod, HttpError } from '../errors';
import { FormBody, many, nestedInvalid, num, options, text } from '../forms';
import { enforcementPolicyForm, escalationPolicyForm, type PolicyService } from './policies';
import { reportRulesForm, type ReportRulesService } from '../reports/rules';
import { alarmPolicyForm, offlinePolicyForm, type AlarmService } from '../cases/alarms';
import { versionHistory } from './versions';

const DURATIONS = ['firstNoticeAfter', 'repeatEvery', 'onSiteAfter'] as const;

/** "PT30M" → "30分钟" / "30 min"; empty when unset or unreadable (the ISO text is shown beside it). */
export function humanDuration(iso: string | undefined, lang: string): string {
  if (!iso) return '';
  let ms: number;
  try {
    ms = parseDuration(iso);
  } catch {
    return '';
  }
  const m = Math.round(ms / 60000);
  const [d, h, mm] = [Math.floor(m / 1440), Math.floor((m % 1440) / 60), m % 60];
  const zh = lang !== 'en';
  const parts = [
    d && (zh ? `${d}天` : `${d} d`),
    h && (zh ? `${h}小时` : `${h} h`),
    mm && (zh ? `${mm}分钟` : `${mm} min`),
  ].filter(Boolean);
  return parts.join(zh ? '' : ' ') || (zh ? `${Math.round(ms / 1000)}秒` : `${Math.round(ms / 1000)} s`);
}

/** The ladder form's fields: `levels.<level>.<field>`, pushTo as checkboxes. */
export function readLadderForm(b: FormBody) {
  return {
    levels: Object.fromEntries(
      LEVELS.map((l) => {
        const f = (k: string) => text(b[`levels.${l}.${k}`]);
        return [
          l,
          {
            pushTo: many(b[`levels.${l}.pushTo`]),
            trackedBy: f('trackedBy'),
            noticeTo: f('noticeTo'),
            firstNoticeAfter: f('firstNoticeAfter'),
            repeatEvery: f('repeatEvery'),
            onSiteAfter: f('onSiteAfter'),
            citation: f('citation'),
          },
        ];
      }),
    ),
  };
}

/** The report-rules form's fields: `weekly.<field>`, `monthly.<field>`, `monthly.keyTargets.levels` as checkboxes. */
export function readReportRulesForm(b: FormBody) {
  const kind = (k: 'weekly' | 'monthly') => ({
    offlineRatePercent: num(b[`${k}.offlineRatePercent`]),
    interviewOfflineDays: num(b[`${k}.interviewOfflineDays`]),
    regionInterviewOfflineDays: num(b[`${k}.regionInterviewOfflineDays`]),
    frequentWarningCount: num(b[`${k}.frequentWarningCount`]),
  });
  return {
    weekly: kind('weekly'),
    monthly: {
      ...kind('monthly'),
      keyTargets: {
        levels: many(b['monthly.keyTargets.levels']),
        frequentCount: num(b['monthly.keyTargets.frequentCount']),
      },
    },
  };
}

/** The enforcement form's fields: `interview.<clock>`, `penalty.<clock>`. */
export function readEnforcementForm(b: FormBody) {
  const section = (name: string, keys: readonly string[]) =>
    Object.fromEntries(keys.map((k) => [k, text(b[`${name}.${k}`])]));
  return { interview: section('interview', INTERVIEW_CLOCKS), penalty: section('penalty', PENALTY_CLOCKS) };
}

/** The offline-rules form's fields, named as the API's (`missedIntervals`, `districtInterviewAfter`, …). */
export function readOfflineForm(b: FormBody) {
  return {
    missedIntervals: num(b.missedIntervals),
    districtInterviewAfter: text(b.districtInterviewAfter),
    regionInterviewAfter: text(b.regionInterviewAfter),
    sweepEvery: text(b.sweepEvery),
  };
}
const OFFLINE_DURATIONS = ['districtInterviewAfter', 'regionInterviewAfter', 'sweepEvery'] as const;

/** The alarm-policy form's fields, named as the API's (`debounceReadings`, …, `faultRepairWithin`). */
export function readAlarmPolicyForm(b: FormBody) {
  return {
    debounceReadings: num(b.debounceReadings),
    deadbandFraction: num(b.deadbandFraction),
    normalReadings: num(b.normalReadings),
    disposalWithin: text(b.disposalWithin),
    frozenReadings: num(b.frozenReadings),
    burstAlarmsPerDay: num(b.burstAlarmsPerDay),
    faultRepairWithin: text(b.faultRepairWithin),
  };
}
const ALARM_COUNTS = [
  'debounceReadings',
  'deadbandFraction',
  'normalReadings',
  'frozenReadings',
  'burstAlarmsPerDay',
] as const;
const ALARM_DURATIONS = ['disposalWithin', 'faultRepairWithin'] as const;

/** A clock in words: as a document prints it in Chinese (`P1DT12H` → 1天12小时), else days/hours/minutes. */
const clockWords = (iso: string | undefined, lang: string) =>
  !iso ? '' : lang === 'en' ? humanDuration(iso, lang) : durationZh(iso);

type LadderValues = ReturnType<typeof readLadderForm> | Pick<EscalationPolicy, 'levels'>;

export function createAdminPolicyService(deps: {
  models: Pick<Models, 'EscalationPolicy' | 'ReportRules' | 'EnforcementPolicy' | 'OfflinePolicy' | 'AlarmPolicy'>;
  policies: PolicyService;
  reportRules: ReportRulesService;
  offlineRules: Pick<AlarmService, 'currentOfflinePolicy' | 'setOfflinePolicy'>;
  alarmRules: Pick<AlarmService, 'currentPolicy' | 'setPolicy'>;
}) {
  const { models, policies, reportRules, offlineRules, alarmRules } = deps;
  const admin = (p: Principal) => {
    if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
  };
  /** The form carries the version it was read from: another administrator's version since then is a 409, not overwritten unseen. */
  const unchangedSince = (body: FormBody, current: number) => {
    const read = Number(text(body.version));
    if (text(body.version) !== undefined && read !== current)
      throw new HttpError(
        409,
        `version: v${current} was saved since you opened this form (v${read}); check it and save again`,
        'version',
      );
  };
  /** Versions newest first; the shipped default (v1, not stored) last when nobody replaced it. */
  const history = (model: object) => versionHistory(model, 1);

  return {
    /** The ladder page: a version (the one in force by default) per level, the history, and the edit form (typed input after a refusal). */
    async escalationPage(
      p: Principal,
      lang: string,
      opts: { version?: number; typed?: FormBody; err?: HttpError } = {},
    ) {
      admin(p);
      const current = await policies.currentEscalation();
      const shown =
        opts.version && opts.version !== current.version ? await policies.escalationVersion(opts.version) : current;
      const rung = (v: LadderValues, l: (typeof LEVELS)[number]) =>
        (v.levels as Record<string, Record<string, unknown>>)[l] ?? {};
      const formValues: LadderValues = opts.typed ? readLadderForm(opts.typed) : current;
      const invalidAt = opts.err?.field ? /^levels\.(\w+)\.(\w+)/.exec(opts.err.field) : null;
      return {
        current,
        shown,
        isCurrent: shown.version === current.version,
        rows: LEVELS.map((level) => {
          const r = shown.levels[level];
          return {
            level,
            ...r,
            durations: DURATIONS.map((k) => ({ key: k, iso: r[k], human: humanDuration(r[k], lang) })),
          };
        }),
        history: await history(models.EscalationPolicy),
        form: LEVELS.map((level) => {
          const r = rung(formValues, level);
          return {
            level,
            pushTo: options(RECIPIENT_ROLES, r.pushTo as string[]),
            trackedBy: r.trackedBy,
            noticeTo: r.noticeTo,
            citation: r.citation,
            durations: DURATIONS.map((k) => ({
              key: k,
              value: r[k],
              invalid: invalidAt?.[1] === level && invalidAt[2] === k,
            })),
            invalid: invalidAt?.[1] === level ? { [invalidAt[2]]: true } : {},
          };
        }),
        roles: RECIPIENT_ROLES,
        error: opts.err?.message,
        field: opts.err?.field,
      };
    },
    /** A new version of the ladder from the form; the new version number. */
    async saveEscalation(p: Principal, body: FormBody, ip?: string): Promise<number> {
      admin(p);
      unchangedSince(body, (await policies.currentEscalation()).version);
      const parsed = escalationPolicyForm.safeParse(readLadderForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await policies.setEscalation(p, parsed.data, ip)).version;
    },

    /** The report-rules page: the rules in force, the history and the edit form. */
    async reportRulesPage(p: Principal, opts: { version?: number; typed?: FormBody; err?: HttpError } = {}) {
      admin(p);
      const current = await reportRules.current();
      let shown: ReportRules = current;
      if (opts.version && opts.version !== current.version) {
        const doc = await models.ReportRules.findById(opts.version).lean();
        if (doc) shown = { version: doc.version, weekly: doc.weekly, monthly: doc.monthly };
        else if (opts.version === DEFAULT_REPORT_RULES.version) shown = DEFAULT_REPORT_RULES;
        else throw new HttpError(404, `no report rules version ${opts.version}`, 'version');
      }
      const values = opts.typed ? readReportRulesForm(opts.typed) : current;
      return {
        current,
        shown,
        isCurrent: shown.version === current.version,
        history: await history(models.ReportRules),
        values,
        keyTargetLevels: options(LEVELS, values.monthly.keyTargets.levels),
        invalid: nestedInvalid(opts.err?.field),
        error: opts.err?.message,
        field: opts.err?.field,
      };
    },
    /** A new version of the report rules from the form; the new version number. */
    async saveReportRules(p: Principal, body: FormBody, ip?: string): Promise<number> {
      admin(p);
      unchangedSince(body, (await reportRules.current()).version);
      const parsed = reportRulesForm.safeParse(readReportRulesForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await reportRules.set(p, parsed.data, ip)).version;
    },

    /** The enforcement page: the interview and penalty clocks of a version (in force by default) as ISO and in words, the history, the edit form. */
    async enforcementPage(
      p: Principal,
      lang: string,
      opts: { version?: number; typed?: FormBody; err?: HttpError } = {},
    ) {
      admin(p);
      const current = await policies.currentEnforcement();
      let shown: EnforcementPolicy = current;
      if (opts.version && opts.version !== current.version) {
        const doc = await models.EnforcementPolicy.findById(opts.version).lean();
        if (doc) shown = { version: doc.version, interview: doc.interview, penalty: doc.penalty };
        else if (opts.version === DEFAULT_ENFORCEMENT_POLICY.version) shown = DEFAULT_ENFORCEMENT_POLICY;
        else throw new HttpError(404, `no enforcement policy version ${opts.version}`, 'version');
      }
      const values = (opts.typed ? readEnforcementForm(opts.typed) : current) as {
        interview: Record<string, string | undefined>;
        penalty: Record<string, string | undefined>;
      };
      const shownClocks = shown as unknown as Record<'interview' | 'penalty', Record<string, string>>;
      const sections = (['interview', 'penalty'] as const).map((name) => ({
        name,
        clocks: (name === 'interview' ? INTERVIEW_CLOCKS : PENALTY_CLOCKS).map((key) => {
          const field = `${name}.${key}`;
          const iso = shownClocks[name]?.[key];
          return {
            key,
            field,
            iso,
            human: clockWords(iso, lang),
            value: values[name]?.[key],
            invalid: opts.err?.field === field,
          };
        }),
      }));
      return {
        current,
        shown,
        isCurrent: shown.version === current.version,
        sections,
        history: await history(models.EnforcementPolicy),
        error: opts.err?.message,
        field: opts.err?.field,
      };
    },
    /** A new version of the enforcement clocks from the form; the new version number. */
    async saveEnforcement(p: Principal, body: FormBody, ip?: string): Promise<number> {
      admin(p);
      unchangedSince(body, (await policies.currentEnforcement()).version);
      const parsed = enforcementPolicyForm.safeParse(readEnforcementForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await policies.setEnforcement(p, parsed.data, ip)).version;
    },

    /** The offline-rules page (seed 002 第二十九至三十一条): a version (in force by default) with its durations in words, the history, the edit form. */
    async offlinePage(p: Principal, lang: string, opts: { version?: number; typed?: FormBody; err?: HttpError } = {}) {
      admin(p);
      const current = await offlineRules.currentOfflinePolicy();
      let shown: OfflinePolicy = current;
      if (opts.version && opts.version !== current.version) {
        const doc = await models.OfflinePolicy.findById(opts.version).lean();
        if (doc)
          shown = {
            version: doc.version,
            missedIntervals: doc.missedIntervals,
            districtInterviewAfter: doc.districtInterviewAfter,
            regionInterviewAfter: doc.regionInterviewAfter,
            sweepEvery: doc.sweepEvery,
          };
        else if (opts.version === DEFAULT_OFFLINE_POLICY.version) shown = DEFAULT_OFFLINE_POLICY;
        else throw new HttpError(404, `no offline rules version ${opts.version}`, 'version');
      }
      const values = opts.typed ? readOfflineForm(opts.typed) : current;
      return {
        current,
        shown,
        isCurrent: shown.version === current.version,
        durations: OFFLINE_DURATIONS.map((key) => ({ key, iso: shown[key], human: humanDuration(shown[key], lang) })),
        values,
        fields: OFFLINE_DURATIONS.map((key) => ({ key, value: values[key], invalid: opts.err?.field === key })),
        missedInvalid: opts.err?.field === 'missedIntervals',
        history: await history(models.OfflinePolicy),
        error: opts.err?.message,
        field: opts.err?.field,
      };
    },
    /** A new version of the offline rules from the form (through the service the API uses); the new version number. */
    async saveOffline(p: Principal, body: FormBody, ip?: string): Promise<number> {
      admin(p);
      unchangedSince(body, (await offlineRules.currentOfflinePolicy()).version);
      const parsed = offlinePolicyForm.safeParse(readOfflineForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await offlineRules.setOfflinePolicy(p, parsed.data, ip)).version;
    },

    /**
     * The alarm-policy page: a version (in force by default) — debounce, deadband, disposal time, data-quality
     * thresholds and the device-fault repair time (warnflow's default: no seed gives one) — the history, the edit form.
     */
    async alarmPage(p: Principal, lang: string, opts: { version?: number; typed?: FormBody; err?: HttpError } = {}) {
      admin(p);
      const current = await alarmRules.currentPolicy();
      let shown: AlarmPolicy = current;
      if (opts.version && opts.version !== current.version) {
        const doc = await models.AlarmPolicy.findById(opts.version, { _id: 0, updatedBy: 0, updatedAt: 0 }).lean();
        if (doc) shown = doc;
        else if (opts.version === DEFAULT_ALARM_POLICY.version) shown = DEFAULT_ALARM_POLICY;
        else throw new HttpError(404, `no alarm policy version ${opts.version}`, 'version');
      }
      const withRepair = (a: AlarmPolicy) => ({ ...a, faultRepairWithin: faultRepairWithinOf(a) });
      const values = opts.typed ? readAlarmPolicyForm(opts.typed) : withRepair(current);
      const invalid = (key: string) => opts.err?.field === key;
      return {
        current,
        shown: withRepair(shown),
        isCurrent: shown.version === current.version,
        counts: ALARM_COUNTS.map((key) => ({ key, value: shown[key] })),
        durations: ALARM_DURATIONS.map((key) => {
          const iso = withRepair(shown)[key];
          return { key, iso, human: humanDuration(iso, lang), warnflowDefault: key === 'faultRepairWithin' };
        }),
        countFields: ALARM_COUNTS.map((key) => ({ key, value: values[key], invalid: invalid(key) })),
        durationFields: ALARM_DURATIONS.map((key) => ({ key, value: values[key], invalid: invalid(key) })),
        history: await history(models.AlarmPolicy),
        error: opts.err?.message,
        field: opts.err?.field,
      };
    },
    /** A new version of the alarm policy from the form (through the service the API uses); the new version number. */
    async saveAlarm(p: Principal, body: FormBody, ip?: string): Promise<number> {
      admin(p);
      unchangedSince(body, (await alarmRules.currentPolicy()).version);
      const parsed = alarmPolicyForm.safeParse(readAlarmPolicyForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await alarmRules.setPolicy(p, parsed.data, ip)).version;
    },
  };
}
export type AdminPolicyService = ReturnType<typeof createAdminPolicyService>;
