/**
 * Benchmark of risk warnings (prints figures; not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/warnings.js          # small scale (200 warnings)
 *   node dist/bench/warnings.js --full                                              # 10,000 warnings
 *   node dist/bench/warnings.js --warnings 1000 --empty 2000 --concurrency 64 --notice-after 30
 *
 * Starts its own Temporal dev server, mongo-java-server (H2) and SMTP catcher on free ports and a worker; then
 *  1. start rate of empty workflows (a type no worker runs: the server's own limit here);
 *  2. start rate of RiskWarning cases by signal-with-start (red, under a drill policy whose first notice
 *     falls due `--notice-after` seconds after opening, so every first deadline falls within the same minute),
 *     and how fast their case records appear;
 *  3. lateness of each first warning notice (timeline `notice_issued` against its due time): p50/p99/max.
 * Not measured here (left out): reading-in-alarm to first mail received.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../domain/escalation';
import { caseIds } from '../domain/cases';
import { startMongo } from '../embedded/mongo';
import { startSmtpCatcher } from '../embedded/smtp';
import { startTemporalDevServer } from '../embedded/temporal';
import { createMailer } from '../lib/mailer';
import { connectDatabase } from '../models';
import { createWorker } from '../worker/createWorker';
import { raiseWarningSignal, riskWarning } from '../workflows/riskWarning';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const full = process.argv.includes('--full');
const N = arg('warnings', full ? 10_000 : 200);
const EMPTY = arg('empty', full ? 10_000 : 500);
const CONC = arg('concurrency', 64);
const NOTICE_AFTER = arg('notice-after', full ? 120 : 30);

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function pool(n: number, conc: number, fn: (i: number) => Promise<void>): Promise<number> {
  const t = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(conc, n) }, async () => {
    while (next < n) await fn(next++);
  }));
  return (Date.now() - t) / 1000;
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-bench-warnings-'));
  const logDir = path.join(scratch, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; scale: ${EMPTY} empty starts, ${N} warnings, concurrency ${CONC}, first notice after ${NOTICE_AFTER}s`);
  const temporalServer = await startTemporalDevServer({ headless: true, logDir });
  const mongo = await startMongo({ logDir, dataDir: path.join(scratch, 'mongo'), forceEmbedded: true });
  const smtp = await startSmtpCatcher({ mailboxDir: path.join(scratch, 'mailbox') });
  const { conn, models } = await connectDatabase(`${mongo.address}/bench`);
  const taskQueue = 'bench-warnings';
  const { worker, connection: wconn } = await createWorker({ temporalAddress: temporalServer.address, namespace: 'default', taskQueue, models, mailer: createMailer(smtp.address), mailFrom: 'bench <b@warnflow.local>' });
  const running = worker.run();
  const tconn = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection: tconn });
  try {
    // Seed: one district with its agencies, N enterprises (batched writes).
    await models.Region.create([
      { _id: 'b-city', name: '市', kind: 'city', path: ['b-city'] },
      { _id: 'b-district', name: '区', kind: 'district', parentId: 'b-city', path: ['b-city', 'b-district'] },
      { _id: 'b-zone', name: '功能区', kind: 'zone', parentId: 'b-district', path: ['b-city', 'b-district', 'b-zone'] },
    ]);
    await models.Agency.create([
      { _id: 'b-zone-safety', name: '功能区安全管理部门', role: 'zone_safety_dept', regionId: 'b-zone', industries: [], emails: ['zone@gov.example'] },
      { _id: 'b-district-dust', name: '区行业监管部门', role: 'district_industry_regulator', regionId: 'b-district', industries: [], emails: ['industry@gov.example'] },
      { _id: 'b-emergency', name: '区应急管理局', role: 'district_emergency_bureau', regionId: 'b-district', industries: [], emails: ['emergency@gov.example'] },
    ]);
    for (let i = 0; i < N; i += 1000) {
      await models.Enterprise.insertMany(
        Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ _id: `b-ent-${i + k}`, name: `企业${i + k}`, uscc: `B${String(i + k).padStart(17, '0')}`, regionId: 'b-zone', regionPath: ['b-city', 'b-district', 'b-zone'], industry: 'dust_explosion', dustType: 'metal', dustWorkers: 10, size: 'small', inherentRisk: 'yellow', contacts: [{ name: '安全负责人', email: `s${i + k}@ent.example` }], createdAt: new Date() })),
        { ordered: false },
      );
    }

    // 1. Empty workflow starts.
    const emptySecs = await pool(EMPTY, CONC, async (i) => {
      await client.workflow.start('benchEmpty', { taskQueue: 'bench-no-worker', workflowId: `empty/${i}`, args: [] });
    });
    const emptyRate = EMPTY / emptySecs;
    console.log(`empty workflow starts: ${emptyRate.toFixed(0)}/s (${EMPTY} in ${emptySecs.toFixed(1)} s)`);

    // 2. RiskWarning starts (drill policy: first notice NOTICE_AFTER s after opening).
    const policy: EscalationPolicy = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
    policy.version = 99;
    policy.levels.red = { ...policy.levels.red, firstNoticeAfter: `PT${NOTICE_AFTER}S`, repeatEvery: 'PT1H', onSiteAfter: 'PT24H' };
    const t0 = Date.now();
    const warnSecs = await pool(N, CONC, async (i) => {
      const enterpriseId = `b-ent-${i}`;
      await client.workflow.signalWithStart(riskWarning, { taskQueue, workflowId: caseIds.riskWarning(enterpriseId), args: [{ enterpriseId, policy }], signal: raiseWarningSignal, signalArgs: [{ level: 'red', reason: 'bench', by: 'bench' }] });
    });
    const warnRate = N / warnSecs;
    console.log(`RiskWarning starts: ${warnRate.toFixed(0)}/s (${N} in ${warnSecs.toFixed(1)} s) — ${((100 * warnRate) / emptyRate).toFixed(0)} % of the empty rate (goals: ≥ 50 % and ≥ 100/s)`);
    for (;;) {
      const opened = await models.CaseRecord.countDocuments({ type: 'risk_warning' });
      if (opened >= N) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`case records of all ${N} warnings written after ${((Date.now() - t0) / 1000).toFixed(1)} s (${(N / ((Date.now() - t0) / 1000)).toFixed(0)} cases/s opened end to end)`);

    // 3. Lateness of the first notices.
    const deadline = Date.now() + (NOTICE_AFTER + 600) * 1000;
    for (;;) {
      const issued = await models.CaseRecord.countDocuments({ type: 'risk_warning', 'timeline.kind': 'notice_issued' });
      if (issued >= N || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const recs = await models.CaseRecord.find({ type: 'risk_warning' }, { openedAt: 1, timeline: 1 }).lean();
    const late: number[] = [];
    for (const r of recs) {
      const n = r.timeline.find((t) => t.kind === 'notice_issued');
      if (n) late.push((Date.parse(n.at) - (r.openedAt.getTime() + NOTICE_AFTER * 1000)) / 1000);
    }
    console.log(`first notices: ${late.length}/${N} issued; lateness p50 ${pct(late, 50).toFixed(2)} s, p99 ${pct(late, 99).toFixed(2)} s, max ${Math.max(...late).toFixed(2)} s (goal: p99 < 2 s)`);
  } finally {
    for (let i = 0; i < N; i++) await client.workflow.getHandle(caseIds.riskWarning(`b-ent-${i}`)).terminate('bench over').catch(() => undefined);
    worker.shutdown();
    await running.catch(() => undefined);
    await wconn.close();
    await tconn.close();
    await conn.close();
    await smtp.stop();
    await mongo.stop();
    await temporalServer.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
