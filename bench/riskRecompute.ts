/**
 * Benchmark of the risk model's scheduled recompute (issue 14; prints figures, not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/riskRecompute.js          # 10,000 enterprises
 *   node dist/bench/riskRecompute.js --enterprises 2000 --sources 5                      # quicker
 *
 * Starts its own stack (bench/stack.ts: Temporal dev server, mongo-java-server on its H2 file backend as in the main
 * run, a worker in this process), seeds `--enterprises` enterprises over the five rule groups with `--sources`
 * monitored sources each (device_liveness; 5 % offline), one open alarm per 10 enterprises and one closed in the
 * window per 5, one overdue on-site case per 50, a cleaning plan with a week of check-ins for one dust enterprise in
 * 10; then runs riskRecomputeAll (pages of 200: gather from the projections, compute, store, decide the moves) twice
 * and prints each run's wall time, the enterprises per second, the computations stored and the levels they hold.
 */
import './scratchData'; // first: files go to a scratch folder, not .data/
import crypto from 'node:crypto';
import { RISK_LEVELS } from '../domain/risk';
import { machineLines, memoryOf } from './machine';
import { startBenchStack } from './stack';
import { riskRecomputeAll } from '../workflows/riskRecompute';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const E = arg('enterprises', 10000);
const S = arg('sources', 5);
const BATCH = 2000;
const H = 3_600_000;
const INDUSTRIES = ['dust_explosion', 'hazardous_chemicals', 'steel', 'aluminium_casting', 'construction'] as const;
const GRADES = ['red', 'orange', 'yellow', 'blue'] as const;
const SIZES = ['large', 'medium', 'small', 'micro'] as const;

async function inBatches<T>(docs: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < docs.length; i += BATCH) await insert(docs.slice(i, i + BATCH));
}

async function main() {
  for (const l of machineLines()) console.log(l);
  console.log(`scale: ${E} enterprises × ${S} sources, mongo-java-server (H2 file), worker in this process`);
  const taskQueue = `bench-risk-${crypto.randomBytes(3).toString('hex')}`;
  const stack = await startBenchStack({ name: 'risk', taskQueue, worker: true });
  try {
    const m = stack.models;
    const now = Date.now();
    const t0 = Date.now();
    const id = (n: number) => `ent-${String(n).padStart(6, '0')}`;
    await m.Region.create({ _id: 'city', name: '市', kind: 'city', path: ['city'] });
    await inBatches(
      Array.from({ length: E }, (_, n) => {
        const industry = INDUSTRIES[n % INDUSTRIES.length];
        return {
          _id: id(n),
          name: `企业${n}`,
          uscc: `B${String(n).padStart(17, '0')}`,
          regionId: 'city',
          regionPath: ['city', `district-${n % 20}`],
          industry,
          ...(industry === 'dust_explosion' ? { dustType: n % 3 ? 'metal' : 'wood', dustWorkers: n % 60 } : {}),
          size: SIZES[n % SIZES.length],
          inherentRisk: GRADES[n % GRADES.length],
          contacts: [],
          createdAt: new Date(now),
        };
      }),
      (b) => m.Enterprise.collection.insertMany(b as never[]),
    );
    await inBatches(
      Array.from({ length: E * S }, (_, k) => {
        const n = Math.floor(k / S);
        return {
          _id: `sensor/${id(n)}-${k % S}`,
          sourceKind: 'sensor',
          sourceId: `${id(n)}-${k % S}`,
          enterpriseId: id(n),
          lastSeenAt: new Date(now),
          silentAfter: new Date(now + H),
          offline: k % 20 === 0,
        };
      }),
      (b) => m.DeviceLiveness.collection.insertMany(b as never[]),
    );
    const cases: object[] = [];
    for (let n = 0; n < E; n++) {
      if (n % 10 === 0)
        cases.push({
          _id: `alarm/${id(n)}/open`,
          type: 'monitoring_alarm',
          enterpriseId: id(n),
          title: '监测报警',
          status: 'open',
          openedAt: new Date(now - 3 * H),
          deadlines: [],
          timeline: [{ key: 'opened', at: new Date(now - 3 * H).toISOString(), kind: 'opened', actor: 'system' }],
          updatedAt: new Date(now),
        });
      if (n % 5 === 0)
        cases.push({
          _id: `alarm/${id(n)}/closed`,
          type: 'monitoring_alarm',
          enterpriseId: id(n),
          title: '监测报警',
          status: 'closed',
          openedAt: new Date(now - 48 * H),
          closedAt: new Date(now - 46 * H),
          deadlines: [],
          timeline: [],
          updatedAt: new Date(now),
        });
      if (n % 50 === 0)
        cases.push({
          _id: `onsite/${id(n)}`,
          type: 'onsite_supervision',
          enterpriseId: id(n),
          title: '现场核查督办',
          status: 'open',
          openedAt: new Date(now - 72 * H),
          nextDue: new Date(now - H),
          deadlines: [],
          timeline: [],
          updatedAt: new Date(now),
        });
    }
    await inBatches(cases, (b) => m.CaseRecord.collection.insertMany(b as never[]));
    const plans: object[] = [];
    const checkIns: object[] = [];
    for (let n = 0; n < E; n += INDUSTRIES.length * 10) {
      plans.push({
        _id: id(n),
        items: [{ item: '除尘器灰斗', frequency: 'daily' }],
        updatedBy: 'bench',
        updatedAt: new Date(now),
      });
      for (let d = 0; d < 5; d++)
        checkIns.push({
          enterpriseId: id(n),
          item: '除尘器灰斗',
          person: '张三',
          at: new Date(now - d * 24 * H),
          createdBy: 'bench',
          createdAt: new Date(now),
        });
    }
    await inBatches(plans, (b) => m.CleaningPlan.collection.insertMany(b as never[]));
    await inBatches(checkIns, (b) => m.CleaningCheckIn.collection.insertMany(b as never[]));
    console.log(
      `seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${E} enterprises, ${E * S} sources, ${cases.length} cases, ${plans.length} cleaning plans`,
    );

    for (const run of [1, 2]) {
      const started = Date.now();
      const result = await stack.temporal.workflow.execute(riskRecomputeAll, {
        taskQueue,
        workflowId: `bench-risk-recompute-all-${run}`,
        args: [{}],
      });
      const s = (Date.now() - started) / 1000;
      const latest = await m.RiskComputation.find({ latest: true }, { level: 1 }).lean();
      const levels = Object.fromEntries(RISK_LEVELS.map((l) => [l, latest.filter((c) => c.level === l).length]));
      console.log(
        `run ${run}: recomputed ${result.computed} enterprises in ${s.toFixed(1)} s (${Math.round(E / s)} per s); ` +
          `${await m.RiskComputation.estimatedDocumentCount()} computations stored; latest levels ${JSON.stringify(levels)}`,
      );
    }
    const mongoPid = stack.mongo.pid();
    console.log(
      `peak memory: this process (worker) ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB; database ${Math.round(memoryOf(mongoPid).hwmMiB ?? NaN)} MiB`,
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
