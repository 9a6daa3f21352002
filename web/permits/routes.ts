/**
 * Permit pages (特殊作业票), made for a phone: the list (an enterprise's own; a regulator's jurisdiction with the
 * counts of active permits by type and level), the application in two steps (type and level first, then the
 * e-permit with that type's checklist and that level's signers), and the permit page with the steps of the
 * work the enterprise may take. The service decides; a refusal re-renders with the reason.
 */
import { Router, type Request } from 'express';
import {
  DEFAULT_PERMIT_POLICY,
  LEVELS_OF,
  PERMIT_LEVEL_ZH,
  SAFETY_MEASURES,
  SIGN_OFF_ROLE_ZH,
  SUSPENSION_REASONS,
  UPGRADE_REASONS,
  UPGRADE_REASON_ZH,
  WORK_TYPES,
  WORK_TYPE_ZH,
  isPermitLevel,
  isWorkType,
  managedLevel,
  ruleOf,
  type UpgradeReason,
} from '../../domain/permits';
import { HttpError, toHttpError } from '../errors';
import { beijingInstant } from '../forms';
import { requireLogin, requirePageRole } from '../middleware/session';
import { PERMIT_STEPS, permitQuery, type PermitStep } from './schemas';
import { permitRulesRoutes } from './rulesPages';
import type { PermitService } from './service';

const lines = (v: unknown): string[] =>
  (typeof v === 'string' ? v : '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const asList = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

const typeOptions = WORK_TYPES.map((t) => ({ value: t, label: WORK_TYPE_ZH[t] }));

/** The e-permit form of a type and level: its checklist and its signers, from the rules. */
function formModel(q: Record<string, unknown>) {
  const type = isWorkType(q.type) ? q.type : undefined;
  const level = type && isPermitLevel(q.level) && LEVELS_OF[type].includes(q.level) ? q.level : undefined;
  const upgrades = asList(q.upgradeReasons).filter((r): r is UpgradeReason =>
    (UPGRADE_REASONS as readonly string[]).includes(r),
  );
  const base = {
    typeOptions,
    levelOptions: type ? LEVELS_OF[type].map((l) => ({ value: l, label: PERMIT_LEVEL_ZH[l] || '—' })) : [],
    upgradeOptions: UPGRADE_REASONS.map((r) => ({
      value: r,
      label: UPGRADE_REASON_ZH[r],
      checked: upgrades.includes(r),
    })),
    type,
    level,
    typeZh: type ? WORK_TYPE_ZH[type] : undefined,
  };
  if (!type || !level) return base;
  const managed = managedLevel(type, level, upgrades);
  const rule = ruleOf(DEFAULT_PERMIT_POLICY, type, managed)!;
  return {
    ...base,
    ready: true,
    upgradeReasons: upgrades,
    managedZh: PERMIT_LEVEL_ZH[managed],
    measures: SAFETY_MEASURES[type].map((item, i) => ({ i, item })),
    signers: rule.signOff.value.map((role) => ({ role, label: SIGN_OFF_ROLE_ZH[role] })),
    needsAnalysis: !!rule.analysisMaxAge,
  };
}

/** The posted page form as the API's e-permit. */
function applicationFrom(body: Record<string, unknown>) {
  const type = str(body.type);
  const signers = Object.keys(body)
    .filter((k) => k.startsWith('signer_') && k.endsWith('_user'))
    .map((k) => k.slice('signer_'.length, -'_user'.length))
    .map((role) => ({ role, userId: str(body[`signer_${role}_user`]), name: str(body[`signer_${role}_name`]) }));
  const measures = isWorkType(type)
    ? SAFETY_MEASURES[type].map((item, i) => ({
        item,
        applies: body[`measure_${i}`] === 'on',
        confirmedBy: str(body[`measure_${i}_by`]) || undefined,
      }))
    : [];
  const gas = str(body.gasAt)
    ? [
        {
          at: beijingInstant(str(body.gasAt)),
          place: str(body.gasPlace),
          analyst: str(body.gasAnalyst),
          readings: [
            ...(str(body.gasLel) ? [{ substance: '可燃气体', value: Number(body.gasLel), unit: '%LEL' }] : []),
            ...(str(body.gasO2) ? [{ substance: '氧气', value: Number(body.gasO2), unit: '%' }] : []),
          ],
          qualified: body.gasQualified === 'on',
        },
      ]
    : [];
  return {
    type,
    level: str(body.level),
    upgradeReasons: asList(body.upgradeReasons),
    place: str(body.place),
    content: str(body.content),
    validFrom: beijingInstant(str(body.validFrom)),
    validTo: beijingInstant(str(body.validTo)),
    hazards: lines(body.hazards),
    measures,
    gasAnalyses: gas,
    workers: lines(body.workers).map((l) => {
      const [name, ...cert] = l.split(/\s+/);
      return { name, certificateNo: cert.join(' ') };
    }),
    guardian: { name: str(body.guardianName), userId: str(body.guardianUser) },
    signers,
  };
}

export function permitRoutes(d: { permits: PermitService }): Router {
  const r = Router();
  // The administrator's permit-rules page (versions, the one in force, a new version).
  r.use(permitRulesRoutes(d));
  const list = async (req: Request) => {
    const p = req.principal!;
    const q = permitQuery.parse(req.query);
    const permits = (await d.permits.list(p, q)).map((x) => ({
      ...x,
      typeZh: WORK_TYPE_ZH[x.type],
      levelZh: PERMIT_LEVEL_ZH[x.managedLevel],
    }));
    const counts = p.role === 'enterprise' ? undefined : await d.permits.activeCounts(p);
    return {
      permits,
      q,
      typeOptions,
      statusOptions: [
        'active',
        'signing',
        'issued',
        'in_progress',
        'suspended',
        'awaiting_acceptance',
        'closed',
        'expired',
      ],
      canApply: p.role === 'enterprise',
      counts: counts && {
        active: counts.active,
        byType: Object.entries(counts.byType).map(([k, n]) => ({
          label: WORK_TYPE_ZH[k as keyof typeof WORK_TYPE_ZH] ?? k,
          n,
        })),
        byLevel: Object.entries(counts.byLevel).map(([k, n]) => ({
          label: PERMIT_LEVEL_ZH[k as keyof typeof PERMIT_LEVEL_ZH] || k,
          n,
        })),
      },
    };
  };
  r.get('/permits', requireLogin, async (req, res) => void res.render('pages/permits/list', await list(req)));

  r.get(
    '/permits/new',
    requirePageRole('enterprise'),
    (req, res) => void res.render('pages/permits/new', { ...formModel(req.query), form: {} }),
  );
  r.post('/permits/new', requirePageRole('enterprise'), async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    try {
      const { permitId } = await d.permits.apply(req.principal!, applicationFrom(body) as never, req.ip);
      res.redirect(303, `/permits/${encodeURIComponent(permitId)}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.status === 403) return next(err);
      res
        .status(e.status)
        .render('pages/permits/new', { ...formModel(body), form: body, error: e.message, field: e.field });
    }
  });

  const page = async (req: Request, permitId: string) => {
    const p = req.principal!;
    const m = await d.permits.page(p, permitId);
    const v = m.permit;
    const mine = p.role === 'enterprise';
    const at = (...s: string[]) => mine && s.includes(v.status);
    return {
      ...m,
      typeZh: WORK_TYPE_ZH[v.type],
      levelZh: PERMIT_LEVEL_ZH[v.managedLevel],
      signOffs: v.signOffs.map((s) => ({ ...s, label: SIGN_OFF_ROLE_ZH[s.role] })),
      pdf: m.documentId ? `/documents/${encodeURIComponent(m.documentId)}` : undefined,
      can: {
        analysis: at('signing', 'issued', 'in_progress', 'suspended'),
        start: at('issued'),
        checkIn: at('in_progress'),
        suspend: at('in_progress'),
        resume: at('suspended'),
        finish: at('in_progress', 'suspended'),
        extension: at('issued', 'in_progress', 'suspended'),
        cancel: at('signing', 'issued'),
        acceptance: at('awaiting_acceptance'),
      },
      suspensionReasons: SUSPENSION_REASONS.filter((x) => x !== 'guardian_absent' && x !== 'analysis_overdue'),
    };
  };
  r.get(
    '/permits/:permitId',
    requireLogin,
    async (req, res) =>
      void res.render('pages/permits/show', {
        ...(await page(req, req.params.permitId as string)),
        done: req.query.done,
      }),
  );
  r.post('/permits/:permitId/:step', requirePageRole('enterprise'), async (req, res, next) => {
    const permitId = req.params.permitId as string;
    const step = req.params.step as PermitStep;
    const body = { ...(req.body as Record<string, unknown>) };
    delete body._csrf;
    try {
      if (!(PERMIT_STEPS as readonly string[]).includes(step)) throw new HttpError(404, `no step ${step}`);
      if (step === 'gas-analysis')
        Object.assign(body, {
          at: beijingInstant(str(body.at)),
          readings: [
            ...(str(body.lel) ? [{ substance: '可燃气体', value: Number(body.lel), unit: '%LEL' }] : []),
            ...(str(body.o2) ? [{ substance: '氧气', value: Number(body.o2), unit: '%' }] : []),
          ],
          qualified: body.qualified === 'on',
        });
      if (step === 'extension') body.until = beijingInstant(str(body.until));
      if (step === 'extension-decision' || step === 'sign-off') body.approve = body.approve === 'on';
      await d.permits.step(req.principal!, permitId, step, body, req.ip);
      res.redirect(303, `/permits/${encodeURIComponent(permitId)}?done=${step}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.status === 403 || e.status === 404) return next(err);
      res
        .status(e.status)
        .render('pages/permits/show', { ...(await page(req, permitId)), error: e.message, field: e.field });
    }
  });
  return r;
}
