/**
 * `npm run bench`: the benchmarks in sequence at the default (small) scale, then ONE summary table of issue 15's
 * goals (figure, goal, value, ratio, met/missed) under the machine line and the load average, so that any session
 * can compare runs. Goals are ratios within this run where they can be (the machine is shared). Not a test.
 *
 *   npm run bench                                   # builds, then node dist/bench/all.js
 *   node dist/bench/all.js --warnings 500 --notice-after 150   # issue 15's 500 notices (longer)
 *
 * In order: the counts of one opening (bench/openingCounts.ts), warnings and alarms (bench/warnings.ts: alarm
 * latency at 20 and 50 in flight, empty and RiskWarning starts, cases opened end to end, first-notice lateness),
 * ingestion (bench/ingest.ts), and one worker process against two on the same task queue (alarms at 20 in flight).
 */
import './scratchData';
import os from 'node:os';
import { measureAlarmLatency } from './alarmLatency';
import { runIngestBench } from './ingest';
import { fmt, machineLines, pct } from './machine';
import { countLines, countOpenings } from './openingCounts';
import { startBenchStack } from './stack';
import { runWarningsBench } from './warnings';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

interface Row {
  figure: string;
  goal: string;
  value: string;
  ratio: string;
  /** undefined: reported, no goal. */
  met?: boolean;
}

/** Alarms a second and p99 with 20 in flight, on one worker process and then two (same stack, fresh devices). */
async function workersCompared(samples: number): Promise<{ one: number; two: number; oneP99: number; twoP99: number }> {
  const stack = await startBenchStack({ name: 'workers', taskQueue: 'bench-workers', worker: 'process' });
  try {
    const run = (prefix: string, n = samples) =>
      measureAlarmLatency({
        base: stack.base,
        models: stack.models,
        mailboxDir: stack.mailboxDir,
        prefix,
        samples: n,
        sequential: 0,
        concurrency: 20,
        say: (s) => console.log(`  ${s}`),
      });
    // Warm-up first (the worker's first workflow tasks load the bundle): the comparison is of warm workers.
    await run('warm', 20);
    console.log('one worker process:');
    const one = await run('one');
    await stack.addWorkerProcess();
    console.log('two worker processes:');
    const two = await run('two');
    return {
      one: one.concurrentPerSecond,
      two: two.concurrentPerSecond,
      oneP99: pct(one.concurrent, 99),
      twoP99: pct(two.concurrent, 99),
    };
  } finally {
    await stack.stop();
  }
}

async function main() {
  const started = Date.now();
  const machine = machineLines();
  for (const l of machine) console.log(l);
  const warnings = arg('warnings', 300);
  const noticeAfter = arg('notice-after', 100);

  console.log('\n== counts of one opening (bench/openingCounts.ts)');
  const counts = await countOpenings();
  const countText = [
    ...countLines('red RiskWarning', counts.riskWarning),
    ...countLines('monitoring alarm', counts.monitoringAlarm),
  ];
  for (const l of countText) console.log(l);

  console.log('\n== warnings and alarms (bench/warnings.ts)');
  const w = await runWarningsBench({
    warnings,
    empty: arg('empty', 1000),
    concurrency: 64,
    noticeAfter,
    alarmSamples: arg('alarm-samples', 20),
    alarmConcurrency: 20,
    alarmConcurrencyHigh: 50,
    grace: 300,
  });

  console.log('\n== ingestion (bench/ingest.ts)');
  const ing = await runIngestBench({
    enterprises: arg('enterprises', 500),
    speed: 10,
    seconds: 20,
    pushSeconds: 15,
    clients: 64,
  });

  console.log('\n== one worker process against two (alarms, 20 in flight)');
  const wk = await workersCompared(arg('worker-samples', 60));

  const ms = (x: number | undefined) => `${fmt(x)} ms`;
  const openPct = (100 * w.openedPerSecond) / w.emptyPerSecond;
  const provinceRate = ing.steadyPerSecond;
  const rows: Row[] = [
    {
      figure: `cases opened end to end (${warnings} red warnings) / empty-workflow starts`,
      goal: '≥ 25 %',
      value: `${fmt(w.openedPerSecond, 1)}/s of ${fmt(w.emptyPerSecond)}/s`,
      ratio: `${fmt(openPct, 1)} %`,
      met: openPct >= 25,
    },
    {
      figure: 'RiskWarning starts / empty-workflow starts',
      goal: '(reported)',
      value: `${fmt(w.startsPerSecond)}/s`,
      ratio: `${fmt((100 * w.startsPerSecond) / w.emptyPerSecond)} %`,
    },
    {
      figure: 'reading in alarm → first mail p99, sequential',
      goal: '(reported)',
      value: ms(w.alarmSequentialP99),
      ratio: '',
    },
    {
      figure: 'reading in alarm → first mail p99, 20 in flight',
      goal: '< 1 s',
      value: ms(w.alarmConcurrentP99),
      ratio: `${fmt((w.alarmConcurrentP99 ?? NaN) / 1000, 2)} × goal`,
      met: (w.alarmConcurrentP99 ?? Infinity) < 1000,
    },
    {
      figure: 'reading in alarm → first mail p99, 50 in flight',
      goal: '(reported)',
      value: ms(w.alarmHighP99),
      ratio: '',
    },
    {
      figure: `first-notice lateness p99 (${w.noticesIssued} notices due within ${fmt(w.noticeDueWindow)} s)`,
      goal: '< 1 s (500 within 60 s)',
      value: `${fmt(w.noticeLatenessP99, 2)} s (p50 ${fmt(w.noticeLatenessP50, 2)} s)`,
      ratio: `${fmt(w.noticeLatenessP99, 2)} × goal`,
      met: w.noticesIssued === warnings && w.noticeLatenessP99 < 1,
    },
    {
      figure: `steady ingestion p99 at ${fmt(provinceRate)} readings/s`,
      goal: '< 100 ms',
      value: ms(ing.steadyP99),
      ratio: `${fmt(ing.steadyP99 / 100, 2)} × goal`,
      met: ing.steadyP99 < 100,
    },
    {
      figure: 'push until refused (acknowledged, then checked stored)',
      goal: '≥ 10,000/s, 0 lost',
      value: `${fmt(ing.pushPerSecond)}/s, ${ing.acknowledgedMissing} of ${ing.acknowledged} lost`,
      ratio: `${fmt(ing.pushPerSecond / 10_000, 2)} × goal; ${fmt((100 * ing.pushPerSecond) / ing.rawDocsPerSecond)} % of raw inserts`,
      met: ing.pushPerSecond >= 10_000 && ing.acknowledgedMissing === 0,
    },
    {
      figure: 'two worker processes / one (alarms/s, 20 in flight)',
      goal: 'not slower (≥ 1.0)',
      value: `${fmt(wk.two, 1)}/s vs ${fmt(wk.one, 1)}/s (p99 ${ms(wk.twoP99)} vs ${ms(wk.oneP99)})`,
      ratio: `${fmt(wk.two / wk.one, 2)}`,
      met: wk.two / wk.one >= 0.95,
    },
  ];
  const cols: (keyof Row)[] = ['figure', 'goal', 'value', 'ratio'];
  const cell = (r: Row, c: keyof Row) => String(r[c] ?? '');
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (cells: string[]) => `| ${cells.map((x, i) => x.padEnd(widths[i] ?? 6)).join(' | ')} |`;
  console.log('\n== summary (issue 15)');
  for (const l of machine) console.log(l);
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; run took ${((Date.now() - started) / 60_000).toFixed(1)} min`,
  );
  for (const l of countText) console.log(l);
  console.log(
    `CPU seconds during bench/warnings.ts: MongoDB ${fmt(w.cpuSeconds.mongo)}, Temporal ${fmt(w.cpuSeconds.temporal)}, SMTP catcher ${fmt(w.cpuSeconds.smtp)}, bench process (worker + web + client) ${fmt(w.cpuSeconds.benchProcess)}`,
  );
  widths.push(6);
  console.log(line([...cols, 'result']));
  console.log(line(widths.map((n) => '-'.repeat(n))));
  for (const r of rows)
    console.log(line([...cols.map((c) => cell(r, c)), r.met === undefined ? '' : r.met ? 'met' : 'MISSED']));
  // One JSON line for scripts comparing runs.
  console.log(
    JSON.stringify({
      at: new Date().toISOString(),
      loadavg: os.loadavg(),
      counts,
      warnings: w,
      ingest: ing,
      workers: wk,
    }),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
