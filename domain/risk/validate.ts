/**
 * Validation of the risk rules: one zod schema (the admin page and API will share it) and
 * `riskRulesProblems`, every problem naming its field (`groups.steel.factors.open_alarms.weight`,
 * `groups.dust_explosion.bands.orange`, `damping.holdFor`). Kept apart from model.ts so the workflows that
 * import the model maths do not bundle zod.
 */
import { z } from 'zod';
import { LEVELS } from '../cases';
import { isDuration, parseDuration } from '../durations';
import { DUST_TYPES, ENTERPRISE_SIZES } from '../masterData';
import { FACTOR_IDS, FACTORS } from './factors';
import { RULE_GROUPS, SATURATING_FACTORS } from './rules';

export interface RuleProblem {
  field: string;
  message: string;
}

/** Weights of a group must add up to this (the index is out of 100). */
export const WEIGHT_TOTAL = 100;

const positiveDuration = z
  .string({ error: 'must be an ISO-8601 duration such as PT30M' })
  .refine((v) => isDuration(v) && parseDuration(v) > 0, {
    error: 'must be an ISO-8601 duration longer than zero, such as PT30M',
  });
const share = z
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, 'must be from 0 to 1')
  .max(1, 'must be from 0 to 1');
const table = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, share])) as Record<K, typeof share>);

const factorRule = z.object({
  weight: z
    .number({ error: 'must be a number of points' })
    .min(0, 'must not be negative')
    .max(WEIGHT_TOTAL, `must be at most ${WEIGHT_TOTAL}`),
  saturateAt: z.number({ error: 'must be a number above 0' }).positive('must be above 0').optional(),
});

const bandScore = z
  .number({ error: 'must be a score' })
  .gt(0, 'must be above 0')
  .max(WEIGHT_TOTAL, `must be at most ${WEIGHT_TOTAL}`);

const groupRules = z
  .object({
    factors: z.object(
      Object.fromEntries(FACTOR_IDS.map((f) => [f, factorRule])) as Record<
        (typeof FACTOR_IDS)[number],
        typeof factorRule
      >,
    ),
    bands: z.object(
      Object.fromEntries(LEVELS.map((l) => [l, bandScore])) as Record<(typeof LEVELS)[number], typeof bandScore>,
    ),
  })
  .superRefine((g, ctx) => {
    const total = FACTOR_IDS.reduce((sum, f) => sum + g.factors[f].weight, 0);
    if (Math.abs(total - WEIGHT_TOTAL) > 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['factors'],
        message: `weights must add up to ${WEIGHT_TOTAL} (they add up to ${total})`,
      });
    for (const f of SATURATING_FACTORS) {
      if (g.factors[f].weight > 0 && g.factors[f].saturateAt === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['factors', f, 'saturateAt'],
          message: `${FACTORS[f].zh} needs the figure at which it counts in full`,
        });
    }
    // Bands rise from blue to red (LEVELS is highest first).
    const ascending = [...LEVELS].reverse();
    for (let i = 1; i < ascending.length; i++) {
      const lower = ascending[i - 1];
      const level = ascending[i];
      if (!(g.bands[level] > g.bands[lower]))
        ctx.addIssue({
          code: 'custom',
          path: ['bands', level],
          message: `must be above the ${lower} band (${g.bands[lower]})`,
        });
    }
  });

/** The whole rule set; the version is assigned by the service that stores it, and checked here. */
export const riskRulesSchema = z.object({
  version: z.number({ error: 'must be an integer ≥ 1' }).int('must be an integer ≥ 1').min(1, 'must be an integer ≥ 1'),
  window: positiveDuration,
  damping: z.object({ holdFor: positiveDuration }),
  scales: z.object({ declaredGrade: table(LEVELS), dustType: table(DUST_TYPES), size: table(ENTERPRISE_SIZES) }),
  groups: z.object(
    Object.fromEntries(RULE_GROUPS.map((g) => [g, groupRules])) as Record<
      (typeof RULE_GROUPS)[number],
      typeof groupRules
    >,
  ),
});

/** Every problem of a rule set (empty when it is valid), each naming its field by its dotted path. */
export function riskRulesProblems(rules: unknown): RuleProblem[] {
  const parsed = riskRulesSchema.safeParse(rules);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'rules', message: i.message }));
}
