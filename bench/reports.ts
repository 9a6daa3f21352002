/**
 * Benchmark of the weekly report (prints figures; not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/reports.js          # 10,000 enterprises × 10 devices, one week
 *   node dist/bench/reports.js --enterprises 2000                                  # quicker
 *   MONGODB_URI=mongodb://127.0.0.1:27017 node dist/bench/reports.js               # against a real MongoDB (database warnflow_bench_reports, dropped after)
 *   node dist/bench/reports.js --memory                                            # mongo-java-server's memory backend (8 GiB heap)
 *   node dist/bench/reports.js --soak                                              # issue 11's soak on the H2 file backend: the report three
 *                                                                                  # times while readings arrive (--readings-per-second 200),
 *                                                                                  # figures compared, the file reopened and counted
 *
 * Starts its own Temporal dev server, SMTP catcher and (without MONGODB_URI) mongo-java-server with the H2
 * file backend as in the main run, and a worker in this process; seeds a city of 20 districts with 2 zones
 * each, one industry regulator per district (mail), `--enterprises` enterprises with `--devices` sensors each
 * and a week of device_day_stats (insertMany in batches; no raw readings, no device documents: the report
 * never reads them), 5 % of the enterprises with an offline device, one alarm per 10 enterprises, one warning
 * per 20 (a quarter overdue), a cleaning plan and check-ins for one in 10; then runs the weekly report
 * workflow (figures → follow-ups → PDF → one mail per agency) and prints its wall time and peak memory of the
 * worker process (sampled RSS during the run and the lifetime maxRSS) and of the database server (VmHWM of
 * its java process). Goal: under 60 s and under 1 GiB for the worker.
 * --soak (issue 11): `--runs 3` reports (v1…v3) while a steady stream of readings arrives (reading buckets and the
 * day figures of a day after the week, so the week's figures must not change); any error counts, the runs' figures
 * must be identical, and afterwards the store file is closed, reopened and every day figure counted. Prints the
 * seeding rate, each report's time, the file's size and the database's and worker's peak memory.
 */
import { benchDataDir } from './scratchData'; // first: PDFs go to a scratch folder, not .data/
import { Client, Connection } from '@temporalio/client';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LEVELS } from '../domain/cases';
import { beijingDayStartOf } from '../domain/time';
import { machineLines } from './machine';
import { EMBEDDED_FILE_HEAP, startMongo } from '../embedded/mongo';
import { startSmtpCatcher } from '../embedded/smtp';
import { startTemporalDevServer } from '../embedded/temporal';
import { createMailer } from '../lib/mailer';
import { readMailbox } from '../lib/mailbox';
import { connectDatabase } from '../models';
import { createWorker } from '../worker/createWorker';
import { reportProgressQuery, reportRun } from '../workflows/report';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const SOAK = process.argv.includes('--soak');
const RUNS = arg('runs', SOAK ? 3 : 1);
const READINGS_PER_S = arg('readings-per-second', SOAK ? 200 : 0);
const E = arg('enterprises', 10000);
const D = arg('devices', 10);
const DISTRICTS = 20;
const BATCH = 5000;
const WEEK = '2026-11-16'; // a Monday
const DAYS = Array.from({ length: 7 }, (_, i) => `2026-11-${16 + i}`);
const MB = 1024 * 1024;

/** Peak resident memory (VmHWM) of a process, in MiB, from /proc. */
function vmHwmMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the java process serving MongoDB on `port` (found by its command line; read only). */
function javaMongoPid(port: number): number | undefined {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (cmd.some((c) => c.includes('WarnflowMongoServer')) && cmd[cmd.indexOf('--port') + 1] === String(port))
        return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

async function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-bench-reports-'));
  const logDir = path.join(scratch, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const mailboxDir = path.join(scratch, 'mailbox');
  const memory = process.argv.includes('--memory');
  for (const l of machineLines()) console.log(l);
  console.log(
    `scale: ${E} enterprises × ${D} devices, one week (${E * D * 7} device_day_stats)${process.env.MONGODB_URI ? `, MONGODB_URI` : memory ? ', mongo-java-server (memory backend, -Xmx8g)' : ', mongo-java-server (H2 file)'}`,
  );
  const temporalServer = await startTemporalDevServer({ headless: true, logDir });
  let mongo = process.env.MONGODB_URI
    ? undefined
    : await startMongo({
        logDir,
        dataDir: memory ? undefined : path.join(scratch, 'mongo'),
        forceEmbedded: true,
        heap: memory ? '8g' : undefined,
      });
  const smtp = await startSmtpCatcher({ mailboxDir });
  const uri = process.env.MONGODB_URI ?? mongo!.address;
  const db = await connectDatabase(uri, { dbName: 'warnflow_bench_reports' });
  const models = db.models;
  let conn = db.conn; // reconnected after the soak's reopen
  const dbPid = mongo ? javaMongoPid(Number(new URL(mongo.address).port)) : undefined;
  const mailer = createMailer(smtp.address);
  const taskQueue = 'bench-reports';
  const { worker, connection: wconn } = await createWorker({
    temporalAddress: temporalServer.address,
    namespace: 'default',
    taskQueue,
    models,
    mailer,
    mailFrom: 'bench <b@warnflow.local>',
  });
  const running = worker.run();
  const tconn = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection: tconn });
  try {
    await conn.dropDatabase();
    await Promise.all(Object.values(models).map((m) => m.createIndexes()));
    let t = performance.now();
    const districts = Array.from({ length: DISTRICTS }, (_, i) => `d${i}`);
    await models.Region.insertMany([
      { _id: 'city', name: '市', kind: 'city', path: ['city'] },
      ...districts.map((d, i) => ({
        _id: d,
        name: `第${i + 1}区`,
        kind: 'district',
        parentId: 'city',
        path: ['city', d],
      })),
      ...districts.flatMap((d) =>
        [0, 1].map((z) => ({
          _id: `${d}-z${z}`,
          name: `${d}功能区${z}`,
          kind: 'zone',
          parentId: d,
          path: ['city', d, `${d}-z${z}`],
        })),
      ),
    ]);
    await models.Agency.insertMany(
      districts.map((d) => ({
        _id: `${d}-dust`,
        name: `${d}行业监管部门`,
        role: 'district_industry_regulator',
        regionId: d,
        industries: ['dust_explosion'],
        emails: [`${d}@gov.example`],
      })),
    );
    const pathOf = (e: number) => ['city', `d${e % DISTRICTS}`, `d${e % DISTRICTS}-z${e % 2}`];
    for (let s = 0; s < E; s += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, E - s) }, (_, j) => s + j);
      await models.Enterprise.insertMany(
        ids.map((e) => ({
          _id: `e${e}`,
          name: `基准企业${e}`,
          uscc: `B${String(e).padStart(17, '0')}`,
          regionId: pathOf(e)[2],
          regionPath: pathOf(e),
          industry: 'dust_explosion',
          dustWorkers: 10,
          size: 'small',
          inherentRisk: LEVELS[e % 4],
          contacts: [],
          createdAt: new Date(),
        })),
        { lean: true },
      );
    }
    let stats = 0;
    let buf: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!buf.length) return;
      await models.DeviceDayStat.insertMany(buf, { lean: true, ordered: false });
      stats += buf.length;
      buf = [];
    };
    for (let e = 0; e < E; e++)
      for (let d = 0; d < D; d++)
        for (const [i, day] of DAYS.entries()) {
          // 5 % of the enterprises: device 0 offline a third of each day (about 3.3 % for the enterprise, 56 h for the device).
          const offline = e % 20 === 0 && d === 0 ? 28800 : (e * 7 + d * 3 + i) % 50 === 0 ? 600 : 0;
          buf.push({
            _id: `sensor/e${e}-D${d}/${day}`,
            sourceKind: 'sensor',
            sourceId: `e${e}-D${d}`,
            enterpriseId: `e${e}`,
            regionPath: pathOf(e),
            industry: 'dust_explosion',
            day,
            offlineSeconds: offline,
            suspendedSeconds: 0,
            readings: 288,
            expectedReadings: 288,
            alarms: 0,
            outOfRange: 0,
            frozen: 0,
            updatedAt: new Date(),
          });
          if (buf.length >= BATCH) await flush();
        }
    await flush();
    const from = beijingDayStartOf(WEEK)!;
    const cases = [];
    for (let e = 0; e < E; e += 10) {
      const opened = new Date(from + (e % 6) * 86400_000 + 3600_000);
      cases.push({
        _id: `alarm/e${e}-D0/dp/${e}`,
        type: 'monitoring_alarm',
        enterpriseId: `e${e}`,
        regionPath: pathOf(e),
        industry: 'dust_explosion',
        title: `报警 ${e}`,
        status: 'closed',
        openedAt: opened,
        closedAt: new Date(opened.getTime() + (10 + (e % 120)) * 60_000),
        deadlines: [],
        timeline: [{ key: 'opened', at: opened.toISOString(), kind: 'opened', actor: 'system' }],
        updatedAt: new Date(),
      });
      if (e % 20 === 0) {
        const overdue = e % 80 === 0;
        cases.push({
          _id: `risk-warning/e${e}/${opened.toISOString()}`,
          type: 'risk_warning',
          enterpriseId: `e${e}`,
          regionPath: pathOf(e),
          industry: 'dust_explosion',
          title: `预警 ${e}`,
          level: LEVELS[(e / 20) % 4],
          status: 'open',
          openedAt: opened,
          deadlines: [],
          timeline: [
            { key: 'opened', at: opened.toISOString(), kind: 'opened', actor: 'system' },
            ...(overdue
              ? [
                  {
                    key: 'notice_issued/0',
                    at: new Date(opened.getTime() + 3600_000).toISOString(),
                    kind: 'notice_issued',
                    actor: 'system',
                  },
                ]
              : []),
          ],
          updatedAt: new Date(),
        });
      }
    }
    await models.CaseRecord.insertMany(cases, { lean: true });
    const plans = [];
    const checkIns = [];
    for (let e = 0; e < E; e += 10) {
      plans.push({
        _id: `e${e}`,
        items: [{ item: '除尘器灰斗', frequency: 'daily' }],
        updatedBy: 'bench',
        updatedAt: new Date(),
      });
      for (let i = 0; i < 5; i++)
        checkIns.push({
          enterpriseId: `e${e}`,
          item: '除尘器灰斗',
          person: '张三',
          at: new Date(from + i * 86400_000 + 7200_000),
          createdBy: 'bench',
          createdAt: new Date(),
        });
    }
    await conn.collection('cleaning_plans').insertMany(plans as never[]);
    await models.CleaningCheckIn.insertMany(checkIns, { lean: true });
    const seeded = (performance.now() - t) / 1000;
    console.log(
      `seeded ${E} enterprises, ${stats} device_day_stats, ${cases.length} case records, ${plans.length} cleaning plans in ${seeded.toFixed(1)} s (${(stats / seeded).toFixed(0)} docs/s)`,
    );

    // Readings keep arriving while the reports run (--soak): buckets and the day figures of a day after the week.
    let readingErrors = 0;
    let readingsWritten = 0;
    let readingsStop = false;
    const readingLoop = (async () => {
      if (!READINGS_PER_S) return;
      const perTick = Math.max(1, Math.round(READINGS_PER_S / 10));
      for (let tick = 0; !readingsStop; tick++) {
        const started = performance.now();
        const writes: Promise<unknown>[] = [];
        for (let j = 0; j < perTick; j++) {
          const n = tick * perTick + j;
          const e = n % E;
          const d = Math.floor(n / E) % D;
          const at = new Date(Date.parse('2026-11-24T00:00:00Z') + (n % 86400) * 1000);
          const hour = new Date(Math.floor(at.getTime() / 3600_000) * 3600_000);
          writes.push(
            models.ReadingBucket.updateOne(
              { _id: `e${e}-D${d}/dust/${hour.toISOString().slice(0, 13)}` },
              {
                $set: { [`samples.t${at.getTime() - hour.getTime()}`]: (n % 50) / 10, updatedAt: new Date() },
                $setOnInsert: { deviceCode: `e${e}-D${d}`, indicator: 'dust', enterpriseId: `e${e}`, hour },
              },
              { upsert: true },
            ),
            models.DeviceDayStat.updateOne(
              { _id: `sensor/e${e}-D${d}/2026-11-24` },
              {
                $inc: { readings: 1 },
                $set: { updatedAt: new Date() },
                $setOnInsert: {
                  sourceKind: 'sensor',
                  sourceId: `e${e}-D${d}`,
                  enterpriseId: `e${e}`,
                  regionPath: pathOf(e),
                  industry: 'dust_explosion',
                  day: '2026-11-24',
                  offlineSeconds: 0,
                  suspendedSeconds: 0,
                  expectedReadings: 288,
                  alarms: 0,
                  outOfRange: 0,
                  frozen: 0,
                },
              },
              { upsert: true },
            ),
          );
        }
        const results = await Promise.allSettled(writes);
        for (const r of results) {
          if (r.status === 'rejected') {
            if (readingErrors++ < 3) console.error('reading write failed:', (r.reason as Error).message);
          } else readingsWritten++;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - started))));
      }
    })();

    const figuresOfRuns: string[] = [];
    const wallOfRuns: number[] = [];
    let runErrors = 0;
    for (let run = 1; run <= RUNS; run++) {
      const reportId = `report/weekly/${WEEK}/v${run}`;
      try {
        await models.Report.create({
          _id: reportId,
          kind: 'weekly',
          periodStart: WEEK,
          periodEnd: '2026-11-23',
          version: run,
          status: 'running',
          rulesVersion: 1,
          followUps: [],
          requestedBy: 'bench',
          createdAt: new Date(),
        });
        const rssBefore = process.memoryUsage().rss;
        const dbBefore = dbPid ? vmHwmMiB(dbPid) : undefined;
        let peakRss = rssBefore;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
        t = performance.now();
        const handle = await client.workflow.start(reportRun, {
          workflowId: reportId,
          taskQueue,
          args: [{ kind: 'weekly', periodStart: WEEK }],
          workflowExecutionTimeout: '30 minutes',
        });
        // Where the time goes: the step the run reports (reportProgressQuery), polled.
        const steps: { step: string; at: number }[] = [];
        let polling: Promise<unknown> | undefined;
        const poller = setInterval(() => {
          // One query at a time, awaited before the connection closes (a query still retrying then would throw).
          polling ??= handle
            .query(reportProgressQuery)
            .then(
              (p) => steps[steps.length - 1]?.step !== p.step && steps.push({ step: p.step, at: performance.now() }),
            )
            .catch(() => undefined)
            .finally(() => (polling = undefined));
        }, 250);
        let progress;
        try {
          progress = await handle.result();
        } finally {
          clearInterval(sampler);
          clearInterval(poller);
          await polling;
        }
        const wall = (performance.now() - t) / 1000;
        wallOfRuns.push(wall);
        const doc = await models.Report.findById(reportId).lean();
        figuresOfRuns.push(JSON.stringify(doc?.figures ?? null));
        const size = doc?.pdfPath ? fs.statSync(doc.pdfPath).size : 0;
        const mails = readMailbox(mailboxDir).filter((m) =>
          m.attachments.some((a) => a.filename.endsWith('.pdf')),
        ).length;
        const dbAfter = dbPid ? vmHwmMiB(dbPid) : undefined;
        console.log(
          `report ${reportId}: ${progress.enterprises} enterprises, ${progress.followUps} follow-ups, ${progress.mailed}/${progress.agencies} agencies mailed (${mails} mails with the PDF received so far), PDF ${(size / MB).toFixed(1)} MiB`,
        );
        console.log(`wall time of the report run: ${wall.toFixed(1)} s (goal < 60 s)`);
        console.log(
          `  by step (polled every 250 ms): ${steps.map((x, i) => `${x.step} ${(((steps[i + 1]?.at ?? t + wall * 1000) - x.at) / 1000).toFixed(1)} s`).join(', ')}`,
        );
        console.log(
          `worker process (this process) RSS: ${(rssBefore / MB).toFixed(0)} MiB before, peak ${(peakRss / MB).toFixed(0)} MiB during the run (goal < 1024); lifetime maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
        );
        console.log(
          dbPid
            ? `database server (mongo-java-server pid ${dbPid}, ${memory ? 'memory backend, -Xmx8g' : `H2 file, -Xmx${EMBEDDED_FILE_HEAP}`}) VmHWM: ${dbBefore?.toFixed(0)} MiB before, ${dbAfter?.toFixed(0)} MiB after the report`
            : 'database server: MONGODB_URI (not measured here)',
        );
      } catch (err) {
        runErrors++;
        console.error(`report ${reportId} failed:`, err);
      }
    }
    readingsStop = true;
    await readingLoop;

    if (SOAK || RUNS > 1 || memory) {
      const identical =
        figuresOfRuns.length === RUNS && figuresOfRuns.every((f) => f === figuresOfRuns[0] && f !== 'null');
      const sha = figuresOfRuns[0]
        ? crypto.createHash('sha256').update(figuresOfRuns[0]).digest('hex').slice(0, 16)
        : '-';
      console.log(
        `soak: ${RUNS} report runs (${wallOfRuns.map((w) => `${w.toFixed(1)} s`).join(', ')}), ${runErrors} failed; figures identical between runs: ${identical ? 'yes' : 'NO'} (sha256 ${sha}; compare with --memory)`,
      );
      console.log(`soak: ${readingsWritten} reading writes at ${READINGS_PER_S}/s asked, ${readingErrors} failed`);
      if (mongo && !memory) {
        const file = path.join(scratch, 'mongo', 'mongo.mv');
        const dayStats = await models.DeviceDayStat.estimatedDocumentCount();
        console.log(
          `soak: store file ${(fs.statSync(file).size / MB).toFixed(0)} MiB for ${dayStats} device_day_stats; database VmHWM ${dbPid ? vmHwmMiB(dbPid)?.toFixed(0) : '?'} MiB`,
        );
        // Close the store cleanly, open it again, count.
        await conn.close();
        await mongo.stop();
        t = performance.now();
        mongo = await startMongo({ logDir, dataDir: path.join(scratch, 'mongo'), forceEmbedded: true });
        const reopened = await connectDatabase(mongo.address, { dbName: 'warnflow_bench_reports' });
        const again = await reopened.models.DeviceDayStat.countDocuments();
        console.log(
          `soak: the file reopened in ${((performance.now() - t) / 1000).toFixed(1)} s with ${again} device_day_stats (${again === dayStats ? 'all' : `EXPECTED ${dayStats}`}); errors ${runErrors + readingErrors + (again === dayStats ? 0 : 1) + (identical ? 0 : 1)}`,
        );
        conn = reopened.conn;
      }
    }
  } finally {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch((err) => console.error('worker:', err));
    await wconn.close();
    await tconn.close();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    mailer.close();
    await smtp.stop();
    if (mongo) await mongo.stop();
    await temporalServer.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
    if (benchDataDir.includes('warnflow-bench-data-')) fs.rmSync(benchDataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
