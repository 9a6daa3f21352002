/**
 * The risk model's pages (issue 14): the administrator's risk rules (`/admin/policies/risk`: the version shown, the
 * history, a new version's form with fields named as the API's dotted paths, and a band preview of the typed draft
 * before saving); an enterprise's level and composition (`/risk/enterprises/:id`, the enterprise's own from the
 * portal as `/portal/risk`) and its history; the regulators' distribution (`/risk`); the plain explanation generated
 * from the rules (`/risk/explanation`). Every read goes through the risk service, cut by jurisdiction there.
 */
import { Router, type Request, type Response } from 'express';
import type { Principal } from '../../domain/access';
import { LEVELS } from '../../domain/cases';
import { DUST_TYPES, ENTERPRISE_SIZES } from '../../domain/masterData';
import {
  FACTORS,
  FACTOR_IDS,
  RISK_LEVELS,
  RISK_LEVEL_ZH,
  RULE_GROUPS,
  RULE_GROUP_NAMES,
  SATURATING_FACTORS,
  type RiskLevel,
  type RiskRules,
} from '../../domain/risk';
import { formPost } from '../admin/routes';
import { HttpError, toHttpError } from '../errors';
import { num, text, type FormBody } from '../forms';
import { requireLogin, requirePageRole } from '../middleware/session';
import { riskRulesForm } from './schemas';
import type { RiskService } from './service';

/** Every editable field of a rule set, as the API's dotted path, with its value in `rules`. */
function ruleFields(rules: RiskRules): { name: string; value: string | number | undefined }[] {
  const out: { name: string; value: string | number | undefined }[] = [
    { name: 'window', value: rules.window },
    { name: 'damping.holdFor', value: rules.damping.holdFor },
  ];
  for (const l of LEVELS) out.push({ name: `scales.declaredGrade.${l}`, value: rules.scales.declaredGrade[l] });
  for (const d of DUST_TYPES) out.push({ name: `scales.dustType.${d}`, value: rules.scales.dustType[d] });
  for (const s of ENTERPRISE_SIZES) out.push({ name: `scales.size.${s}`, value: rules.scales.size[s] });
  for (const g of RULE_GROUPS) {
    for (const f of FACTOR_IDS) {
      out.push({ name: `groups.${g}.factors.${f}.weight`, value: rules.groups[g].factors[f].weight });
      if (SATURATING_FACTORS.includes(f))
        out.push({ name: `groups.${g}.factors.${f}.saturateAt`, value: rules.groups[g].factors[f].saturateAt });
    }
    for (const l of LEVELS) out.push({ name: `groups.${g}.bands.${l}`, value: rules.groups[g].bands[l] });
  }
  return out;
}

/** The form read into the API's body: strings for durations, numbers for the rest (a non-number is refused naming the field). */
export function readRiskRulesForm(b: FormBody, base: RiskRules): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const { name, value } of ruleFields(base)) {
    const raw = typeof value === 'string' ? text(b[name]) : num(b[name]);
    if (raw === undefined) continue;
    const path = name.split('.');
    let at = body;
    for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]] = raw;
  }
  const v = num(b.version);
  if (v !== undefined) body.version = v;
  return body;
}

const counts = (c: Record<RiskLevel, number>) => RISK_LEVELS.map((level) => ({ level, n: c[level] }));

export function riskRoutes(d: { risk: RiskService }): Router {
  const r = Router();
  const admin = requirePageRole('admin');
  const version = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
  const body = (req: Request) => (req.body ?? {}) as FormBody;

  async function rulesPage(
    p: Principal,
    opts: {
      version?: number;
      typed?: FormBody;
      err?: HttpError;
      preview?: Awaited<ReturnType<RiskService['preview']>>;
    } = {},
  ) {
    if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
    const current = await d.risk.currentRules();
    const shown = opts.version && opts.version !== current.version ? await d.risk.rulesVersion(opts.version) : current;
    const typed = (name: string, value: unknown) => (opts.typed ? (text(opts.typed[name]) ?? '') : (value ?? ''));
    const invalid = (name: string) =>
      !!opts.err?.field && (opts.err.field === name || name.startsWith(`${opts.err.field}.`));
    const field = (name: string, value: unknown) => ({ name, value: typed(name, value), invalid: invalid(name) });
    const groups = (rules: RiskRules, form: boolean) =>
      RULE_GROUPS.map((g) => ({
        group: g,
        name: RULE_GROUP_NAMES[g],
        factors: FACTOR_IDS.map((f) => ({
          factor: f,
          zh: FACTORS[f].zh,
          en: FACTORS[f].en,
          weight: form
            ? field(`groups.${g}.factors.${f}.weight`, rules.groups[g].factors[f].weight)
            : rules.groups[g].factors[f].weight,
          saturateAt: SATURATING_FACTORS.includes(f)
            ? form
              ? field(`groups.${g}.factors.${f}.saturateAt`, rules.groups[g].factors[f].saturateAt)
              : rules.groups[g].factors[f].saturateAt
            : undefined,
        })),
        bands: LEVELS.map((l) =>
          form
            ? { level: l, ...field(`groups.${g}.bands.${l}`, rules.groups[g].bands[l]) }
            : { level: l, value: rules.groups[g].bands[l] },
        ),
      }));
    const scale = (prefix: string, table: Record<string, number>) =>
      Object.entries(table).map(([k, v]) => ({ key: k, ...field(`${prefix}.${k}`, v) }));
    return {
      current,
      shown,
      isCurrent: shown.version === current.version,
      shownGroups: groups(shown, false),
      form: {
        window: field('window', current.window),
        holdFor: field('damping.holdFor', current.damping.holdFor),
        declaredGrade: scale('scales.declaredGrade', current.scales.declaredGrade),
        dustType: scale('scales.dustType', current.scales.dustType),
        size: scale('scales.size', current.scales.size),
        groups: groups(current, true),
      },
      history: await d.risk.rulesHistory(),
      preview: opts.preview && {
        enterprises: opts.preview.enterprises,
        rows: RISK_LEVELS.map((level) => ({
          level,
          zh: RISK_LEVEL_ZH[level],
          draft: opts.preview!.total[level],
          current: opts.preview!.current[level],
        })),
      },
      error: opts.err?.message,
      field: opts.err?.field,
    };
  }

  r.get('/admin/policies/risk', admin, async (req: Request, res: Response) =>
    res.render('pages/risk/rules', {
      ...(await rulesPage(req.principal!, { version: version(req.query.version) })),
      saved: version(req.query.saved),
    }),
  );
  // The band preview of the typed draft: nothing stored, the form shown again with the counts.
  r.post('/admin/policies/risk/preview', admin, async (req: Request, res: Response) => {
    const current = await d.risk.currentRules();
    try {
      const preview = await d.risk.preview(req.principal!, readRiskRulesForm(body(req), current));
      res.render('pages/risk/rules', await rulesPage(req.principal!, { typed: body(req), preview }));
    } catch (err) {
      const e = toHttpError(err);
      if (e.status !== 400) throw err;
      res.status(400).render('pages/risk/rules', await rulesPage(req.principal!, { typed: body(req), err: e }));
    }
  });
  r.post(
    '/admin/policies/risk',
    admin,
    formPost(
      async (req) => {
        const current = await d.risk.currentRules();
        const form = readRiskRulesForm(body(req), current);
        const parsed = riskRulesForm.safeParse(form);
        if (!parsed.success) {
          const i = parsed.error.issues[0];
          const field = i.path.map(String).join('.') || 'rules';
          throw new HttpError(400, `${field}: ${i.message}`, field);
        }
        return `/admin/policies/risk?saved=${(await d.risk.setRules(req.principal!, parsed.data, req.ip)).version}`;
      },
      async (req, res, err) =>
        res.render('pages/risk/rules', await rulesPage(req.principal!, { typed: body(req), err })),
    ),
  );

  async function enterprisePage(req: Request, res: Response, enterpriseId: string) {
    const r0 = await d.risk.enterpriseRisk(req.principal!, enterpriseId);
    res.render('pages/risk/enterprise', {
      ...r0,
      levelZh: r0.latest ? RISK_LEVEL_ZH[r0.latest.level] : undefined,
      isWarningLevel: !!r0.latest && r0.latest.level !== 'normal',
      components: r0.latest?.components.map((c) => ({
        ...c,
        zh: FACTORS[c.factor].zh,
        en: FACTORS[c.factor].en,
        valuePercent: Math.round(c.value * 100),
      })),
    });
  }
  r.get('/portal/risk', requirePageRole('enterprise'), async (req, res) =>
    enterprisePage(req, res, req.principal!.enterpriseId ?? ''),
  );
  r.get('/risk/enterprises/:enterpriseId', requireLogin, async (req, res) =>
    enterprisePage(req, res, req.params.enterpriseId as string),
  );
  r.get('/risk/enterprises/:enterpriseId/history', requireLogin, async (req, res) => {
    const h = await d.risk.history(req.principal!, req.params.enterpriseId as string);
    res.render('pages/risk/history', {
      ...h,
      rows: h.computations.map((c) => ({ ...c, levelZh: RISK_LEVEL_ZH[c.level] })),
    });
  });
  r.get('/risk', requirePageRole('regulator', 'admin'), async (req, res) => {
    const dist = await d.risk.distribution(req.principal!);
    res.render('pages/risk/distribution', {
      enterprises: dist.enterprises,
      levels: RISK_LEVELS.map((level) => ({ level, zh: RISK_LEVEL_ZH[level] })),
      total: counts(dist.total),
      byIndustry: Object.entries(dist.byIndustry).map(([industry, c]) => ({ industry, counts: counts(c) })),
      byRegion: (await d.risk.regionNames(Object.keys(dist.byRegion))).map((region) => ({
        ...region,
        counts: counts(dist.byRegion[region._id]),
      })),
    });
  });
  r.get('/risk/explanation', requireLogin, async (req, res) => {
    const e = await d.risk.explanation(version(req.query.version));
    res.render('pages/risk/explanation', {
      version: e.rules.version,
      groups: e.groups.map((g) => ({ ...g, name: RULE_GROUP_NAMES[g.group] })),
    });
  });
  return r;
}
