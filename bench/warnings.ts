/**
 * Benchmark of risk warnings and alarms (prints figures; not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/warnings.js          # small scale (200 warnings, 50 alarm samples)
 *   node dist/bench/warnings.js --full                                              # 10,000 warnings, 200 alarm samples
 *   node dist/bench/warnings.js --warnings 1000 --empty 2000 --concurrency 64 --notice-after 300 --alarm-samples 0
 *
 * Starts its own Temporal dev server, mongo-java-server (H2 file backend, -Xmx1g, as in the main run), SMTP
 * catcher (a child process, as in the main run where it is not inside the worker) and, in this process, the
 * worker and the web app (for the readings API); then, in one run:
 *  1. reading in alarm → first alarm mail received (bench/alarmLatency.ts): sequential, then concurrent;
 *  2. start rate of empty workflows (a type no worker runs: the server's own limit here);
 *  3. start rate of RiskWarning cases by signal-with-start (red, under a drill policy whose first notice falls
 *     due `--notice-after` seconds after opening), how fast their case records appear, and the window in which
 *     their first deadlines fall due (one minute is the goal of the set-up: --notice-after must be longer
 *     than opening them all takes);
 *  4. lateness of each first warning notice (timeline `notice_issued` against its planned due time);
 *  5. where the time went: each activity's count, p50/p99 and total seconds; CPU seconds and peak memory
 *     (VmHWM) of the MongoDB server, the Temporal server, the SMTP catcher and this process (worker + client).
 * Figures are those of a shared 2-core machine: other engineers' tests may run at the same time (the load
 * average is printed at the start and the end).
 */
import './scratchData';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../activities';
import { caseIds } from '../domain/cases';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../domain/escalation';
import { startMongo } from '../embedded/mongo';
import { startTemporalDevServer } from '../embedded/temporal';
import { createLogger } from '../lib/log';
import { createMailer } from '../lib/mailer';
import { connectDatabase } from '../models';
import { closeApp, createApp } from '../web/app';
import { installQuietRuntime } from '../worker/createWorker';
import { raiseWarningSignal, riskWarning } from '../workflows/riskWarning';
import { measureAlarmLatency } from './alarmLatency';
import { seedWarningDistrict } from './warningWorld';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as documentPdf from '../lib/documentPdf';
import { cpuSecondsOf, findPid, fmt, machineLines, memoryOf, pct } from './machine';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

export interface WarningsOptions {
  /** RiskWarning cases opened (signal-with-start, red). */
  warnings: number;
  /** Empty workflows started (a type no worker runs): the server's own start rate. */
  empty: number;
  /** Client concurrency of both start phases. */
  concurrency: number;
  /** The first notice falls due this many seconds after each opening. */
  noticeAfter: number;
  /** Reading in alarm → first mail: samples sequential, then as many at alarmConcurrency in flight. */
  alarmSamples: number;
  alarmConcurrency: number;
  /** A further concurrent alarm run at this many in flight (0: none). */
  alarmConcurrencyHigh: number;
  /** Seconds to wait for the notices after the last one fell due. */
  grace: number;
}

/** The figures of one run (bench/all.ts prints them in its summary table). */
export interface WarningsFigures {
  emptyPerSecond: number;
  startsPerSecond: number;
  /** Case records of all warnings written (start → parties, record, tasks, mails, in-app): cases per second. */
  openedPerSecond: number;
  alarmSequentialP99?: number;
  alarmConcurrentP99?: number;
  alarmHighP99?: number;
  noticesIssued: number;
  /** The window in which the first notices fell due (seconds). */
  noticeDueWindow: number;
  noticeLatenessP50: number;
  noticeLatenessP99: number;
  /** CPU seconds of each process over the run. */
  cpuSeconds: { mongo: number; temporal: number; smtp: number; benchProcess: number };
}

export function warningsOptionsFromArgs(): WarningsOptions {
  const full = process.argv.includes('--full');
  return {
    warnings: arg('warnings', full ? 10_000 : 200),
    empty: arg('empty', full ? 10_000 : 500),
    concurrency: arg('concurrency', 64),
    noticeAfter: arg('notice-after', full ? 1200 : 60),
    alarmSamples: arg('alarm-samples', full ? 200 : 50),
    alarmConcurrency: arg('alarm-concurrency', 20),
    alarmConcurrencyHigh: arg('alarm-concurrency-high', 0),
    grace: arg('grace', full ? 2400 : 600),
  };
}

const say = (s: string) => console.log(s);
const secs = (t: number) => ((Date.now() - t) / 1000).toFixed(1);

async function pool(n: number, conc: number, fn: (i: number) => Promise<void>): Promise<number> {
  const t = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(conc, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return (Date.now() - t) / 1000;
}

/** The SMTP catcher in a process of its own (in the main run it is not inside the worker either). */
async function startSmtpChild(
  mailboxDir: string,
): Promise<{ address: string; pid: number; stop: () => Promise<void> }> {
  const code = `require(${JSON.stringify(path.join(__dirname, '..', 'embedded', 'smtp'))}).startSmtpCatcher({ mailboxDir: ${JSON.stringify(mailboxDir)} }).then((s) => console.log('port ' + s.port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`SMTP catcher exited with ${c}`)));
    child.stdout.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return {
    address: `smtp://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((r) => {
        child.removeAllListeners('exit');
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

export async function runWarningsBench(o: WarningsOptions): Promise<WarningsFigures> {
  const { warnings: N, empty: EMPTY, concurrency: CONC, noticeAfter: NOTICE_AFTER, grace: GRACE } = o;
  const { alarmSamples: ALARM_SAMPLES, alarmConcurrency: ALARM_CONC } = o;
  for (const l of machineLines()) say(l);
  say(
    `scale: ${EMPTY} empty starts, ${N} warnings (client concurrency ${CONC}), first notice ${NOTICE_AFTER} s after opening; alarm latency ${ALARM_SAMPLES} sequential + ${ALARM_SAMPLES} with ${ALARM_CONC} concurrent`,
  );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-bench-warnings-'));
  const logDir = path.join(scratch, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const mailboxDir = path.join(scratch, 'mailbox');
  const temporalServer = await startTemporalDevServer({ headless: true, logDir });
  const mongo = await startMongo({ logDir, dataDir: path.join(scratch, 'mongo'), forceEmbedded: true });
  const smtp = await startSmtpChild(mailboxDir);
  const mongoPid = findPid('WarnflowMongoServer', `--port ${mongo.address.split(':').pop()}`);
  const temporalPid = findPid('start-dev', `--port ${temporalServer.address.split(':').pop()}`);
  const { conn, models } = await connectDatabase(`${mongo.address}/bench`);
  const mailer = createMailer(smtp.address);
  const taskQueue = 'bench-warnings';

  // The worker as worker/createWorker.ts builds it (same options), each activity timed.
  installQuietRuntime();
  const timings = new Map<string, number[]>();
  const activities = createActivities({ models, mailer, mailFrom: 'bench <b@warnflow.local>' }) as unknown as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  const timed: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    timings.set(name, []);
    timed[name] = async (...a: unknown[]) => {
      const t = performance.now();
      try {
        return await fn(...a);
      } finally {
        timings.get(name)!.push(performance.now() - t);
      }
    };
  }
  // Probe (bench only): PDFs the worker draws (activities call lib/documentPdf through its exports; notices
  // are drawn by their first reader since 9a9163c, so a notice storm should draw none here).
  const pdfMs: number[] = [];
  const pdfExports = documentPdf as { drawStoredDocument: typeof documentPdf.drawStoredDocument };
  const draw = pdfExports.drawStoredDocument;
  pdfExports.drawStoredDocument = async (...a) => {
    const t = performance.now();
    try {
      return await draw(...a);
    } finally {
      pdfMs.push(performance.now() - t);
    }
  };
  // The worker's activities and workflow tasks share this event loop: how long is it blocked?
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const wconn = await NativeConnection.connect({ address: temporalServer.address });
  const worker = await Worker.create({
    connection: wconn,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve(path.join(__dirname, '..', 'workflows')),
    activities: timed,
  });
  const running = worker.run();
  const tconn = await Connection.connect({ address: temporalServer.address });
  const client = new Client({ connection: tconn });
  const app = createApp({
    config: { taskQueue, publicUrl: 'http://127.0.0.1', mailboxDir, temporalAddress: temporalServer.address },
    temporal: client,
    db: conn,
    models,
    mailer,
    log: createLogger({ service: 'bench' }, 'error'),
  });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const cpu0 = {
    mongo: cpuSecondsOf(mongoPid) ?? 0,
    temporal: cpuSecondsOf(temporalPid) ?? 0,
    smtp: cpuSecondsOf(smtp.pid) ?? 0,
    self: process.cpuUsage(),
  };
  const resources = (label: string) => {
    const self = process.cpuUsage(cpu0.self);
    say(
      `  [${label}] CPU s — MongoDB ${fmt((cpuSecondsOf(mongoPid) ?? NaN) - cpu0.mongo)}, Temporal ${fmt((cpuSecondsOf(temporalPid) ?? NaN) - cpu0.temporal)}, SMTP catcher ${fmt((cpuSecondsOf(smtp.pid) ?? NaN) - cpu0.smtp)}, this process (worker+client+web) ${fmt((self.user + self.system) / 1e6)}; ` +
        `memory MiB — MongoDB VmHWM ${fmt(memoryOf(mongoPid).hwmMiB)} (RSS ${fmt(memoryOf(mongoPid).rssMiB)}, -Xmx1g), Temporal VmHWM ${fmt(memoryOf(temporalPid).hwmMiB)}, this process maxRSS ${fmt(process.resourceUsage().maxRSS / 1024)} (heap ${fmt(process.memoryUsage().heapUsed / 2 ** 20)}); load ${os.loadavg()[0].toFixed(2)}`,
    );
  };
  const verdict: string[] = [];
  const figures: Partial<WarningsFigures> = {};
  try {
    // 1. Reading in alarm → first mail received, on a quiet stack.
    if (ALARM_SAMPLES > 0) {
      say('');
      say('1. reading in alarm → first alarm mail received');
      const r = await measureAlarmLatency({
        base,
        models,
        mailboxDir,
        samples: ALARM_SAMPLES,
        concurrency: ALARM_CONC,
        say: (s) => say(`  ${s}`),
      });
      verdict.push(
        `alarm mail p99: sequential ${fmt(pct(r.sequential, 99))} ms, ${ALARM_CONC} concurrent ${fmt(pct(r.concurrent, 99))} ms (goal < 1000 ms)`,
      );
      figures.alarmSequentialP99 = pct(r.sequential, 99);
      figures.alarmConcurrentP99 = pct(r.concurrent, 99);
      if (o.alarmConcurrencyHigh > 0) {
        const high = await measureAlarmLatency({
          base,
          models,
          mailboxDir,
          prefix: 'lathigh',
          samples: Math.max(ALARM_SAMPLES, o.alarmConcurrencyHigh),
          sequential: 0,
          concurrency: o.alarmConcurrencyHigh,
          say: (s) => say(`  ${s}`),
        });
        figures.alarmHighP99 = pct(high.concurrent, 99);
        verdict.push(`alarm mail p99 with ${o.alarmConcurrencyHigh} in flight: ${fmt(figures.alarmHighP99)} ms`);
      }
      resources('after alarms');
    }

    // Seed: one district with its agencies, N enterprises (batched writes).
    const t = Date.now();
    await seedWarningDistrict(models, N);
    say('');
    say(`seeded ${N} enterprises in ${secs(t)} s`);

    // 2. Empty workflow starts.
    say('2. start rates');
    const emptySecs = await pool(EMPTY, CONC, async (i) => {
      await client.workflow.start('benchEmpty', { taskQueue: 'bench-no-worker', workflowId: `empty/${i}`, args: [] });
    });
    const emptyRate = EMPTY / emptySecs;
    say(`  empty workflow starts: ${emptyRate.toFixed(0)}/s (${EMPTY} in ${emptySecs.toFixed(1)} s)`);

    // 3. RiskWarning starts (drill policy: first notice NOTICE_AFTER s after opening, to the tracking agency).
    const policy: EscalationPolicy = structuredClone(DEFAULT_ESCALATION_POLICY);
    policy.version = 99;
    policy.levels.red = {
      ...policy.levels.red,
      firstNoticeAfter: `PT${NOTICE_AFTER}S`,
      repeatEvery: 'PT1H',
      onSiteAfter: 'PT24H',
    };
    const t0 = Date.now();
    const warnSecs = await pool(N, CONC, async (i) => {
      const enterpriseId = `b-ent-${i}`;
      await client.workflow.signalWithStart(riskWarning, {
        taskQueue,
        workflowId: caseIds.riskWarning(enterpriseId),
        args: [{ enterpriseId, policy }],
        signal: raiseWarningSignal,
        signalArgs: [{ level: 'red', reason: 'bench', by: 'bench' }],
      });
    });
    const warnRate = N / warnSecs;
    say(
      `  RiskWarning starts: ${warnRate.toFixed(0)}/s (${N} in ${warnSecs.toFixed(1)} s) — ${((100 * warnRate) / emptyRate).toFixed(0)} % of the empty rate (goals: ≥ 50 % and ≥ 100/s)`,
    );
    verdict.push(
      `starts: empty ${emptyRate.toFixed(0)}/s, RiskWarning ${warnRate.toFixed(0)}/s = ${((100 * warnRate) / emptyRate).toFixed(0)} % (goal ≥ 50 % and ≥ 100/s)`,
    );
    let lastLog = Date.now();
    let warnedLate = false;
    for (;;) {
      const opened = await models.CaseRecord.countDocuments({ type: 'risk_warning' });
      if (opened >= N) break;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        const rate = opened / ((Date.now() - t0) / 1000);
        say(
          `  … ${opened}/${N} case records after ${secs(t0)} s (${rate.toFixed(1)} cases/s: all open in ~${((N - opened) / Math.max(rate, 0.01)).toFixed(0)} s more${N / Math.max(rate, 0.01) > NOTICE_AFTER ? `, LATER than the first deadlines (${NOTICE_AFTER} s): this N does not fit the set-up on this machine, see the CPU seconds below` : ''})`,
        );
        resources('opening');
      }
      if (!warnedLate && Date.now() - t0 > NOTICE_AFTER * 1000 && (warnedLate = true))
        say(
          `  ! the first deadlines fall due before all cases are open (${opened}/${N} after ${secs(t0)} s): raise --notice-after`,
        );
      await new Promise((r) => setTimeout(r, 2000));
    }
    const openSecs = (Date.now() - t0) / 1000;
    say(
      `  case records of all ${N} warnings written after ${openSecs.toFixed(1)} s: ${(N / openSecs).toFixed(0)} cases/s opened end to end (start → opened, notified, tasks)`,
    );
    const recsOpen = await models.CaseRecord.find({ type: 'risk_warning' }, { openedAt: 1 }).lean();
    const dues = recsOpen.map((r) => r.openedAt.getTime() + NOTICE_AFTER * 1000);
    const firstDue = Math.min(...dues);
    const lastDue = Math.max(...dues);
    say(
      `  first deadlines fall due within ${((lastDue - firstDue) / 1000).toFixed(1)} s, from ${((firstDue - Date.now()) / 1000).toFixed(0)} s from now (goal of the set-up: within one minute)`,
    );
    resources('all open');

    // 4. Lateness of the first notices.
    say('4. first notices (notice issued → PDF, mail, in-app, timeline)');
    const giveUp = lastDue + GRACE * 1000;
    lastLog = 0;
    let issued = 0;
    for (;;) {
      issued = await models.CaseRecord.countDocuments({ type: 'risk_warning', 'timeline.kind': 'notice_issued' });
      if (issued >= N || Date.now() > giveUp) break;
      if (Date.now() > firstDue && Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        say(
          `  … ${issued}/${N} notices issued, ${((Date.now() - firstDue) / 1000).toFixed(0)} s after the first fell due`,
        );
        resources('notices');
      }
      await new Promise((r) => setTimeout(r, issued > N * 0.9 ? 1000 : 5000));
    }
    const recs = await models.CaseRecord.find({ type: 'risk_warning' }, { openedAt: 1, timeline: 1 }).lean();
    const late: number[] = [];
    let lastNotice = 0;
    for (const r of recs) {
      const n = r.timeline.find((x) => x.kind === 'notice_issued');
      if (!n) continue;
      late.push((Date.parse(n.at) - (r.openedAt.getTime() + NOTICE_AFTER * 1000)) / 1000);
      lastNotice = Math.max(lastNotice, Date.parse(n.at));
    }
    const mails = fs.readdirSync(mailboxDir).filter((x) => x.endsWith('.json')).length;
    say(
      `  first notices: ${late.length}/${N} issued${late.length < N ? ` (gave up ${GRACE} s after the last fell due)` : ''}; lateness p50 ${fmt(pct(late, 50), 2)} s, p95 ${fmt(pct(late, 95), 2)} s, p99 ${fmt(pct(late, 99), 2)} s, max ${fmt(Math.max(...late), 2)} s (goal: p99 < 2 s)`,
    );
    say(
      `  all notices issued ${((lastNotice - firstDue) / 1000).toFixed(1)} s after the first fell due: ${(late.length / Math.max(1, (lastNotice - firstDue) / 1000)).toFixed(1)} notices/s; ${mails} mails in the catcher's mailbox`,
    );
    verdict.push(
      `${late.length}/${N} first notices, lateness p50 ${fmt(pct(late, 50), 2)} s, p99 ${fmt(pct(late, 99), 2)} s, max ${fmt(Math.max(...late), 2)} s (goal p99 < 2 s)`,
    );
    resources('end');
    Object.assign(figures, {
      emptyPerSecond: emptyRate,
      startsPerSecond: warnRate,
      openedPerSecond: N / openSecs,
      noticesIssued: late.length,
      noticeDueWindow: (lastDue - firstDue) / 1000,
      noticeLatenessP50: pct(late, 50),
      noticeLatenessP99: pct(late, 99),
    });

    // 5. Where the time went.
    say('5. activities (count, p50 / p99 ms, total s — the worker runs up to 100 at once, so totals overlap)');
    say(
      `  PDFs drawn in the worker (lib/documentPdf drawStoredDocument, pdfkit + CJK font): ${pdfMs.length}, p50 ${fmt(pct(pdfMs, 50))} ms, p99 ${fmt(pct(pdfMs, 99))} ms, total ${fmt(pdfMs.reduce((x, y) => x + y, 0) / 1000, 1)} s`,
    );
    say(
      `  event loop of this process (worker + client + web): delay p50 ${fmt(loopDelay.percentile(50) / 1e6)} ms, p99 ${fmt(loopDelay.percentile(99) / 1e6)} ms, max ${fmt(loopDelay.max / 1e6)} ms`,
    );
    const rows = [...timings.entries()]
      .filter(([, xs]) => xs.length)
      .sort((a, b) => b[1].reduce((s, x) => s + x, 0) - a[1].reduce((s, x) => s + x, 0));
    for (const [name, xs] of rows)
      say(
        `  ${name.padEnd(24)} ${String(xs.length).padStart(7)}  ${fmt(pct(xs, 50)).padStart(6)} / ${fmt(pct(xs, 99)).padEnd(6)}  ${fmt(xs.reduce((s, x) => s + x, 0) / 1000, 1)}`,
      );
    say('');
    say('summary:');
    for (const v of verdict) say(`  ${v}`);
    say(
      `  load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const self = process.cpuUsage(cpu0.self);
    figures.cpuSeconds = {
      mongo: (cpuSecondsOf(mongoPid) ?? NaN) - cpu0.mongo,
      temporal: (cpuSecondsOf(temporalPid) ?? NaN) - cpu0.temporal,
      smtp: (cpuSecondsOf(smtp.pid) ?? NaN) - cpu0.smtp,
      benchProcess: (self.user + self.system) / 1e6,
    };
    return figures as WarningsFigures;
  } finally {
    // The dev server is in memory and is stopped below: running warnings need no terminating.
    await new Promise((r) => server.close(r));
    await closeApp(app);
    worker.shutdown();
    await running.catch(() => undefined);
    await wconn.close();
    await tconn.close();
    await conn.close();
    mailer.close();
    await smtp.stop();
    await mongo.stop();
    await temporalServer.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runWarningsBench(warningsOptionsFromArgs()).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
