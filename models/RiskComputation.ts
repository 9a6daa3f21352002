/**
 * risk_computations: every computation of an enterprise's risk index (domain/risk RiskComputation: score, level,
 * components, rules version, instant, trigger) and the move it asked of the warning — the history the
 * enterprise's and the regulators' pages show and explain. Written only by the recomputation activity, keyed
 * by enterprise and instant so a retried activity stores one. `latest` marks each enterprise's newest one, so
 * the distribution pages read one row per enterprise without sorting the history.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { RiskComponent, RiskInputs, RiskLevel, RuleGroup, RecomputeTrigger, WarningMove } from '../domain/risk';

export interface RiskComputationDoc {
  _id: string; // <enterpriseId>@<at ISO-8601>
  enterpriseId: string;
  /** Copied from the enterprise: the distribution is cut by jurisdiction without a join. */
  regionPath: string[];
  industry: string;
  at: Date;
  trigger: RecomputeTrigger;
  score: number;
  level: RiskLevel;
  ruleGroup: RuleGroup;
  components: RiskComponent[];
  /** The inputs gathered: what the administrator's preview applies draft rules to (the latest of each enterprise). */
  inputs: RiskInputs;
  rulesVersion: number;
  /** The newest computation of its enterprise (exactly one per enterprise). */
  latest: boolean;
  /** When the run of this level began (this computation's instant when the level changed): the damping's `since`. */
  levelSince: Date;
  /** What the computation asked of the warning, and why (damping, a regulator's warning, awaiting feedback). */
  move?: WarningMove;
  moveLevel?: string;
  moveReason?: string;
}

export const riskComputationSchema = new Schema<RiskComputationDoc>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    regionPath: { type: [String], required: true },
    industry: { type: String, required: true },
    at: { type: Date, required: true },
    trigger: { type: String, required: true },
    score: { type: Number, required: true },
    level: { type: String, required: true },
    ruleGroup: { type: String, required: true },
    components: { type: Schema.Types.Mixed, required: true },
    inputs: { type: Schema.Types.Mixed, required: true },
    rulesVersion: { type: Number, required: true },
    latest: { type: Boolean, required: true },
    levelSince: { type: Date, required: true },
    move: String,
    moveLevel: String,
    moveReason: String,
  },
  { collection: 'risk_computations', versionKey: false },
);
// An enterprise's history, newest first (its history page; the damping reads the recent run of levels).
riskComputationSchema.index({ enterpriseId: 1, at: -1 });
// The distribution within a jurisdiction: the latest computation of each enterprise under a region.
riskComputationSchema.index({ latest: 1, regionPath: 1 });

export type RiskComputationModel = Model<RiskComputationDoc>;
export const riskComputationModel: (conn: Connection) => RiskComputationModel = modelOn(
  'RiskComputation',
  riskComputationSchema,
);

export const riskComputationId = (enterpriseId: string, at: string) => `${enterpriseId}@${at}`;
