/**
 * The administrator's permit-rules page (特殊作业票规则, issue 13), like the report-rules page
 * (web/admin/policyPages.ts): the version shown (in force by default) with each value's source, the
 * history, and a form whose fields are named as the API's (`rules.hot_work.level1.validity`) turned into
 * a new version through the permit service, so a refusal names the same field the API would. A value's
 * source (its clause of GB 30871-2022, or set_by_enterprise) is carried over from the version in force;
 * continuous monitoring, a fact of the standard, is carried over too.
 */
import { Router, type Request, type Response } from 'express';
import type { Principal } from '../../domain/access';
import {
  citationOf,
  PERMIT_LEVEL_ZH,
  SET_BY_ENTERPRISE,
  WORK_TYPES,
  WORK_TYPE_ZH,
  type PermitLevel,
  type PermitPolicy,
  type PermitRule,
} from '../../domain/permits';
import { formPost } from '../admin/routes';
import { fromZod, HttpError } from '../errors';
import { text, type FormBody } from '../forms';
import { requirePageRole } from '../middleware/session';
import { permitPolicyForm } from './schemas';
import type { PermitService } from './service';

/** The editable values of a rule, in the form's order. */
const RULE_KEYS = [
  'validity',
  'analysisMaxAge',
  'interruptionLimit',
  'reanalysisEvery',
  'guardianCheckInEvery',
  'signOff',
  'approver',
] as const;
type RuleKey = (typeof RULE_KEYS)[number];
const DURATION_KEYS: readonly RuleKey[] = [
  'validity',
  'analysisMaxAge',
  'interruptionLimit',
  'reanalysisEvery',
  'guardianCheckInEvery',
];

const levelsOf = (policy: PermitPolicy, type: (typeof WORK_TYPES)[number]) =>
  Object.entries(policy.rules[type] ?? {}) as [PermitLevel, PermitRule][];
const shownValue = (rule: PermitRule, key: RuleKey) => {
  const v = rule[key]?.value;
  return v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v);
};

/** The form's fields as the API's body: every type and level of the version in force, its sources kept. */
export function readPermitRulesForm(b: FormBody, base: PermitPolicy) {
  const rules = Object.fromEntries(
    WORK_TYPES.map((type) => [
      type,
      Object.fromEntries(
        levelsOf(base, type).map(([level, was]) => {
          const field = (k: RuleKey) => text(b[`rules.${type}.${level}.${k}`]);
          const source = (k: RuleKey) => was[k]?.source ?? SET_BY_ENTERPRISE;
          const rule: Record<string, unknown> = {};
          for (const k of DURATION_KEYS) {
            const v = field(k);
            if (v !== undefined) rule[k] = { value: v, source: source(k) };
          }
          if (was.continuousMonitoring) rule.continuousMonitoring = was.continuousMonitoring;
          rule.signOff = {
            value: (field('signOff') ?? '').split(/[\s,，、]+/).filter(Boolean),
            source: source('signOff'),
          };
          rule.approver = { value: field('approver') ?? '', source: source('approver') };
          return [level, rule];
        }),
      ),
    ]),
  );
  return { rules };
}

export function permitRulesRoutes(d: { permits: PermitService }): Router {
  const r = Router();
  const admin = requirePageRole('admin');
  const version = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  const body = (req: Request) => (req.body ?? {}) as FormBody;

  async function page(p: Principal, opts: { version?: number; typed?: FormBody; err?: HttpError } = {}) {
    if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
    const current = await d.permits.currentPolicy();
    const shown =
      opts.version && opts.version !== current.version ? await d.permits.policyVersion(opts.version) : current;
    const invalid = (name: string) => !!opts.err?.field && `${opts.err.field}.`.startsWith(`${name}.`);
    const rows = (policy: PermitPolicy) =>
      WORK_TYPES.flatMap((type) =>
        levelsOf(policy, type).map(([level, rule]) => ({
          type,
          level,
          typeZh: WORK_TYPE_ZH[type],
          levelZh: PERMIT_LEVEL_ZH[level],
          fields: RULE_KEYS.map((key) => {
            const name = `rules.${type}.${level}.${key}`;
            return {
              key,
              name,
              value: opts.typed ? (text(opts.typed[name]) ?? '') : shownValue(rule, key),
              citation: rule[key] ? citationOf(rule[key].source) : undefined,
              invalid: invalid(name),
            };
          }),
        })),
      );
    return {
      current,
      shown,
      isCurrent: shown.version === current.version,
      shownRows: rows(shown),
      formRows: rows(current),
      keys: RULE_KEYS,
      history: await d.permits.policyHistory(),
      error: opts.err?.message,
      field: opts.err?.field,
    };
  }

  r.get('/admin/policies/permits', admin, async (req: Request, res: Response) =>
    res.render('pages/permits/rules', {
      ...(await page(req.principal!, { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  r.post(
    '/admin/policies/permits',
    admin,
    formPost(
      async (req) => {
        const current = await d.permits.currentPolicy();
        const read = text(body(req).version);
        if (read !== undefined && Number(read) !== current.version)
          throw new HttpError(
            409,
            `version: v${current.version} was saved since you opened this form (v${read}); check it and save again`,
            'version',
          );
        const parsed = permitPolicyForm.safeParse(readPermitRulesForm(body(req), current));
        if (!parsed.success) throw fromZod(parsed.error);
        return `/admin/policies/permits?saved=${(await d.permits.setPolicy(req.principal!, parsed.data, req.ip)).version}`;
      },
      async (req, res, err) => res.render('pages/permits/rules', await page(req.principal!, { typed: body(req), err })),
    ),
  );
  return r;
}
