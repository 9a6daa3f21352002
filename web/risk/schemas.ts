/**
 * The risk area's payloads: the risk rules' form (the rule set without its version, which the service assigns; an
 * optional `version` names the version the editor read, so a stale form is a 409), and what the API answers.
 */
import { z } from 'zod';
import { riskRulesSchema } from '../../domain/risk/validate';

/** A new version of the risk rules: the whole rule set; `version`, when given, is the version it was based on. */
export const riskRulesForm = riskRulesSchema.extend({
  version: z
    .number({ error: 'must be the version you read' })
    .int('must be the version you read')
    .optional()
    .meta({ description: 'the version this edit is based on: a newer version in force answers 409' }),
});
export type RiskRulesForm = z.output<typeof riskRulesForm>;

export const riskRulesView = riskRulesSchema.meta({ description: 'risk rules with their version' });

const levelCounts = z.object({
  red: z.number(),
  orange: z.number(),
  yellow: z.number(),
  blue: z.number(),
  normal: z.number(),
});

export const riskPreviewResponse = z.object({
  enterprises: z.number().meta({ description: 'enterprises with a computation (their latest inputs are used)' }),
  total: levelCounts,
  byGroup: z.record(z.string(), levelCounts),
  current: levelCounts.meta({ description: 'the same enterprises under the rules in force' }),
});

const component = z.object({
  factor: z.string(),
  group: z.string(),
  weight: z.number(),
  measured: z.union([z.number(), z.string()]),
  value: z.number(),
  contribution: z.number(),
  howToLower: z.object({ zh: z.string(), en: z.string() }),
});

export const riskComputationView = z.object({
  enterpriseId: z.string(),
  at: z.string(),
  trigger: z.string(),
  score: z.number(),
  level: z.enum(['red', 'orange', 'yellow', 'blue', 'normal']),
  ruleGroup: z.string(),
  rulesVersion: z.number(),
  components: z.array(component),
  move: z.string().optional(),
  moveReason: z.string().optional(),
});

export const riskEnterpriseResponse = z.object({
  enterpriseId: z.string(),
  latest: riskComputationView.optional().meta({ description: 'absent until the first computation' }),
  explanation: z.object({ zh: z.array(z.string()), en: z.array(z.string()) }).optional(),
});

export const riskHistoryResponse = z.object({ enterpriseId: z.string(), computations: z.array(riskComputationView) });

export const riskDistributionResponse = z.object({
  enterprises: z.number(),
  total: levelCounts,
  byIndustry: z.record(z.string(), levelCounts),
  byRegion: z.record(z.string(), levelCounts),
});
