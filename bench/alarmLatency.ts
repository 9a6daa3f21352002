/**
 * Benchmark: a reading in alarm → the first alarm mail received (prints figures; not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/alarmLatency.js          # 200 samples, sequential then 20 concurrent
 *   node dist/bench/alarmLatency.js --samples 50 --concurrency 10
 *   node dist/bench/alarmLatency.js --in-process     # the worker inside the bench process, beside the web app
 *
 * Standalone it starts its own Temporal dev server, mongo-java-server (H2 file backend, as in the main run),
 * SMTP catcher, worker and web app; bench/warnings.ts runs the same measurement on its own stack
 * (`measureAlarmLatency`). Each sample is one device indicator that has never been in alarm: one reading
 * beyond its high-high threshold (超上上限, opens at once without debounce) POSTed through
 * `/api/v1/readings` with the enterprise's data-interface key; the clock stops when the alarm mail
 * (alarm-opened, subject names the device) is in the SMTP catcher's mailbox folder, seen through
 * fs.watch (the catcher renames the .json summary into place last).
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateDataKey } from '../lib/dataKeys';
import type { Models } from '../models';
import type { IndicatorDoc } from '../models/masterData';
import { fmt, pct } from './machine';

export interface AlarmLatencyOptions {
  base: string;
  models: Models;
  mailboxDir: string;
  /** Samples at `concurrency` in flight (and as many sequential first, unless `sequential` says how many). */
  samples: number;
  sequential?: number;
  concurrency: number;
  /** Prefix of the seeded ids, so that two calls on one database do not collide. */
  prefix?: string;
  say?: (s: string) => void;
}

export interface AlarmLatencyResult {
  sequential: number[];
  concurrent: number[];
  /** Alarms a second with `concurrency` in flight. */
  concurrentPerSecond: number;
  lines: string[];
}

const indicator: IndicatorDoc = {
  code: 'p',
  name: '压差',
  kind: 'differential_pressure',
  unit: 'Pa',
  alarmLow: 100,
  alarmHigh: 1000,
  alarmHighHigh: 1500,
  rangeMin: 0,
  rangeMax: 5000,
  intervalSec: 300,
};
const PER_ENTERPRISE = 20;

/**
 * `total` devices (PER_ENTERPRISE to an enterprise with a contact mail and a data key), each one never-alarmed
 * indicator; device i is `<prefix>-dev-<i>`, read with keys[floor(i / PER_ENTERPRISE)].
 */
export async function seedAlarmDevices(
  m: Models,
  prefix: string,
  total: number,
): Promise<{ keys: string[]; enterprises: number }> {
  if (!(await m.Region.exists({ _id: `${prefix}-zone` }))) {
    await m.Region.create({ _id: `${prefix}-zone`, name: '功能区', kind: 'zone', path: [`${prefix}-zone`] });
    await m.Agency.create({
      _id: `${prefix}-zone-safety`,
      name: '功能区安全管理部门',
      role: 'zone_safety_dept',
      regionId: `${prefix}-zone`,
      industries: [],
      emails: ['zone@gov.example'],
    });
  }
  const keys: string[] = [];
  const enterprises = Math.ceil(total / PER_ENTERPRISE);
  for (let e = 0; e < enterprises; e++) {
    const k = generateDataKey();
    keys.push(k.key);
    await m.Enterprise.create({
      _id: `${prefix}-ent-${e}`,
      name: `报警企业${e}`,
      uscc: `L${prefix}${String(e).padStart(10, '0')}`,
      regionId: `${prefix}-zone`,
      regionPath: [`${prefix}-zone`],
      industry: 'dust_explosion',
      dustWorkers: 10,
      size: 'small',
      inherentRisk: 'blue',
      contacts: [{ name: '安全负责人', email: `a${e}@ent.example` }],
      createdAt: new Date(),
    });
    await m.DataKey.create({
      _id: k.keyId,
      enterpriseId: `${prefix}-ent-${e}`,
      secretHash: k.secretHash,
      createdAt: new Date(),
      createdBy: 'bench',
    });
    await m.Device.insertMany(
      Array.from({ length: Math.min(PER_ENTERPRISE, total - e * PER_ENTERPRISE) }, (_, j) => ({
        _id: `${prefix}-dev-${e * PER_ENTERPRISE + j}`,
        enterpriseId: `${prefix}-ent-${e}`,
        name: '除尘器',
        kind: 'sensor',
        status: 'active',
        indicators: [indicator],
        createdAt: new Date(),
      })),
    );
  }
  return { keys, enterprises };
}

/** POSTs one reading beyond the high-high threshold of `<prefix>-dev-<i>` (opens its alarm at once). */
export async function postAlarmReading(base: string, key: string, dev: string, value: number): Promise<Response> {
  return fetch(`${base}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ readings: [{ deviceCode: dev, indicator: 'p', value, ts: new Date().toISOString() }] }),
  });
}

/** Seeds what it needs (enterprises with a contact mail, one device per sample, data keys) and measures. */
export async function measureAlarmLatency(o: AlarmLatencyOptions): Promise<AlarmLatencyResult> {
  const say = o.say ?? ((s: string) => console.log(s));
  const prefix = o.prefix ?? 'lat';
  const seqCount = o.sequential ?? o.samples;
  const total = seqCount + o.samples;
  const m = o.models;
  const { keys, enterprises } = await seedAlarmDevices(m, prefix, total);

  // Mail watcher: device code (from the subject) → when its first mail was seen.
  fs.mkdirSync(o.mailboxDir, { recursive: true });
  const seen = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const deviceRe = new RegExp(`\\b(${prefix}-dev-\\d+)\\b`);
  const look = (name: string) => {
    if (!name.endsWith('.json')) return;
    const at = performance.now();
    let subject = '';
    try {
      subject = (JSON.parse(fs.readFileSync(path.join(o.mailboxDir, name), 'utf8')) as { subject: string }).subject;
    } catch {
      return;
    }
    const dev = deviceRe.exec(subject)?.[1];
    if (!dev || !subject.includes('Monitoring alarm') || seen.has(dev)) return;
    seen.set(dev, at);
    waiters.get(dev)?.();
  };
  const watcher = fs.watch(o.mailboxDir, (_event, name) => name && look(name.toString()));
  // fs.watch can coalesce events: a slow sweep of the folder catches anything it missed.
  const sweep = setInterval(() => {
    for (const n of fs.readdirSync(o.mailboxDir)) if (n.endsWith('.json')) look(n);
  }, 2000);

  const httpMs: number[] = [];
  /** Wall-clock instants per device: reading sent, mail seen (to split the latency at the case's opening). */
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const one = async (i: number): Promise<number> => {
    const dev = `${prefix}-dev-${i}`;
    const key = keys[Math.floor(i / PER_ENTERPRISE)];
    const arrived = new Promise<void>((resolve, reject) => {
      waiters.set(dev, resolve);
      setTimeout(() => reject(new Error(`no alarm mail for ${dev} within 120 s`)), 120_000).unref();
    });
    const t0 = performance.now();
    sentAt.set(dev, Date.now());
    const res = await postAlarmReading(o.base, key, dev, 1600 + (i % 50));
    const body = (await res.json()) as { results?: { status: string }[] };
    httpMs.push(performance.now() - t0);
    if (res.status !== 200 || body.results?.[0]?.status !== 'accepted')
      throw new Error(`reading for ${dev}: ${res.status} ${JSON.stringify(body)}`);
    if (!seen.has(dev)) await arrived;
    waiters.delete(dev);
    seenAt.set(dev, Date.now() - (performance.now() - seen.get(dev)!));
    return seen.get(dev)! - t0;
  };

  const sequential: number[] = [];
  const concurrent: number[] = [];
  try {
    for (let i = 0; i < seqCount; i++) sequential.push(await one(i));
    let next = seqCount;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < total) concurrent.push(await one(next++));
      }),
    );
    const concSecs = (performance.now() - t) / 1000;
    const line = (name: string, xs: number[]) =>
      `${name}: p50 ${fmt(pct(xs, 50))} ms, p95 ${fmt(pct(xs, 95))} ms, p99 ${fmt(pct(xs, 99))} ms, max ${fmt(Math.max(...xs))} ms over ${xs.length} samples`;
    const lines = [
      line('reading in alarm → first mail received, sequential', sequential),
      line(`reading in alarm → first mail received, ${o.concurrency} concurrent`, concurrent) +
        ` (${(concurrent.length / concSecs).toFixed(1)} alarms/s)`,
      `  (POST /api/v1/readings answered in p50 ${fmt(pct(httpMs, 50))} ms, p99 ${fmt(pct(httpMs, 99))} ms; goal: mail p99 < 1000 ms)`,
    ];
    // Where the time goes: reading sent → case opened (ingestion, signal-with-start, first workflow task:
    // the case's openedAt) → mail seen (enterprise context, open case, count, task, sendMail activities).
    const cases = await m.CaseRecord.find(
      {
        type: 'monitoring_alarm',
        enterpriseId: { $in: Array.from({ length: enterprises }, (_, e) => `${prefix}-ent-${e}`) },
      },
      { _id: 1, openedAt: 1 },
    ).lean();
    const split = (from: number, to: number) => {
      const toOpen: number[] = [];
      const toMail: number[] = [];
      for (const c of cases) {
        const dev = c._id.split('/')[1];
        const i = Number(dev.slice(`${prefix}-dev-`.length));
        if (i < from || i >= to || !sentAt.has(dev) || !seenAt.has(dev)) continue;
        toOpen.push(c.openedAt.getTime() - sentAt.get(dev)!);
        toMail.push(seenAt.get(dev)! - c.openedAt.getTime());
      }
      return `reading sent → case opened p50 ${fmt(pct(toOpen, 50))} / p99 ${fmt(pct(toOpen, 99))} ms, case opened → mail seen p50 ${fmt(pct(toMail, 50))} / p99 ${fmt(pct(toMail, 99))} ms`;
    };
    lines.push(`  split, sequential: ${split(0, seqCount)}`, `  split, concurrent: ${split(seqCount, total)}`);
    for (const l of lines) say(l);
    return { sequential, concurrent, concurrentPerSecond: concurrent.length / concSecs, lines };
  } finally {
    watcher.close();
    clearInterval(sweep);
  }
}

async function main() {
  await import('./scratchData');
  // Loaded after scratchData: config reads WARNFLOW_DATA_DIR when first imported.
  const { startBenchStack } = await import('./stack');
  const { machineLines } = await import('./machine');
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  for (const l of machineLines()) console.log(l);
  // The worker in a process of its own by default, as `npm start` runs it; --in-process puts it beside the web app.
  const inProcess = process.argv.includes('--in-process');
  console.log(
    `worker: ${inProcess ? 'in the bench process (with the web app, the SMTP catcher and the client)' : 'worker/index.js in a child process (as npm start runs it)'}`,
  );
  const stack = await startBenchStack({
    name: 'alarms',
    taskQueue: 'bench-alarms',
    worker: inProcess ? true : 'process',
  });
  try {
    await measureAlarmLatency({
      base: stack.base,
      models: stack.models,
      mailboxDir: stack.mailboxDir,
      samples: arg('samples', 200),
      concurrency: arg('concurrency', 20),
    });
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
