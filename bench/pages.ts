/**
 * Benchmark of the people's pages (prints figures; not a test): time to first byte and full render
 * of the inbox and the spot check with generated data, p50/p95.
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/pages.js                 # 500 enterprises, 5,000 cases
 *   node dist/bench/pages.js --full                                                     # 10,000 enterprises, 100,000 cases
 *   node dist/bench/pages.js --enterprises 2000 --cases 20000 --runs 50
 *
 * Starts its own Temporal dev server (the app needs a client), mongo-java-server (H2 file backend, as
 * in the main run) and SMTP catcher, and the web app; seeds one district with a dust regulator whose
 * agency owns one open task per case; signs the regulator in and times each page --runs times; then
 * downloads each export once (issue 16: bytes, rows, time; the process's maxRSS is in the end line) and
 * scrapes /metrics cold and cached.
 */
import os from 'node:os';
import { EMBEDDED_FILE_HEAP } from '../embedded/mongo';
import { hashPassword } from '../lib/passwords';
import { findPid, fmt, machineLines, memoryOf } from './machine';
import { startBenchStack } from './stack';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const full = process.argv.includes('--full');
const E = arg('enterprises', full ? 10_000 : 500);
const C = arg('cases', full ? 100_000 : 5_000);
const RUNS = arg('runs', 30);
const LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main() {
  for (const l of machineLines()) console.log(l);
  console.log(`scale: ${E} enterprises, ${C} cases (one agency task each, two thirds open), ${RUNS} runs per page`);
  const stack = await startBenchStack({ name: 'pages', taskQueue: 'bench', worker: false });
  const { models, base, mongo } = stack;
  const mongoPid = findPid('WarnflowMongoServer', `--port ${mongo.address.split(':').pop()}`);
  const memory = () =>
    `MongoDB VmHWM ${fmt(memoryOf(mongoPid).hwmMiB)} MiB (-Xmx${EMBEDDED_FILE_HEAP}), this process maxRSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB; load ${os.loadavg()[0].toFixed(2)}`;
  try {
    let t = Date.now();
    await models.Region.insertMany([
      { _id: 'city', name: '市', kind: 'city', path: ['city'] },
      { _id: 'd1', name: '一区', kind: 'district', parentId: 'city', path: ['city', 'd1'] },
    ]);
    await models.Agency.create({
      _id: 'd1-dust',
      name: '一区粉尘监管',
      role: 'district_industry_regulator',
      regionId: 'd1',
      industries: ['dust_explosion'],
      emails: [],
    });
    await models.User.create({
      _id: 'reg',
      displayName: 'reg',
      role: 'regulator',
      agencyId: 'd1-dust',
      passwordHash: await hashPassword('bench-password-1'),
      active: true,
      createdAt: new Date(),
    });
    const now = Date.now();
    for (let s = 0; s < E; s += 1000) {
      await models.Enterprise.insertMany(
        Array.from({ length: Math.min(1000, E - s) }, (_, j) => {
          const i = s + j;
          return {
            _id: `e${i}`,
            name: `企业${i}`,
            uscc: `U${i}`,
            regionId: 'd1',
            regionPath: ['city', 'd1'],
            industry: 'dust_explosion',
            dustType: 'metal',
            dustWorkers: i % 200,
            size: 'small',
            inherentRisk: LEVELS[i % 4],
            currentLevel: LEVELS[(i * 7) % 4],
            shouldConnect: true,
            connected: i % 10 !== 0,
            contacts: [],
            createdAt: new Date(now),
          };
        }),
        { lean: true },
      );
    }
    for (let s = 0; s < C; s += 1000) {
      const n = Math.min(1000, C - s);
      const ids = Array.from({ length: n }, (_, j) => s + j);
      await models.CaseRecord.insertMany(
        ids.map((i) => ({
          _id: `risk-warning/e${i % E}/${i}`,
          type: 'risk_warning',
          enterpriseId: `e${i % E}`,
          regionPath: ['city', 'd1'],
          industry: 'dust_explosion',
          trackingAgencyId: 'd1-dust',
          title: `预警 ${i}`,
          level: LEVELS[i % 4],
          status: i % 3 ? 'open' : 'closed',
          openedAt: new Date(now - i * 60_000),
          nextDue: new Date(now + ((i % 100) - 20) * 3600_000),
          deadlines: [],
          timeline: [{ key: 'opened', at: new Date(now - i * 60_000).toISOString(), kind: 'opened', actor: 'system' }],
          updatedAt: new Date(now),
        })),
        { lean: true },
      );
      await models.Task.insertMany(
        ids.map((i) => ({
          _id: `risk-warning/e${i % E}/${i}/track`,
          caseId: `risk-warning/e${i % E}/${i}`,
          caseType: 'risk_warning',
          kind: 'onsite_record',
          title: `跟踪 ${i}`,
          enterpriseId: `e${i % E}`,
          assigneeAgencyId: 'd1-dust',
          due: new Date(now + ((i % 100) - 20) * 3600_000),
          status: i % 3 ? 'open' : 'done',
          form: 'onsiteRecord',
          createdAt: new Date(now),
        })),
        { lean: true },
      );
    }
    console.log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s (insertMany, batches of 1000); ${memory()}`);

    // Sign in like a browser.
    let cookie = '';
    const keep = (res: Response) => {
      const c = res.headers
        .getSetCookie()
        .map((x) => x.split(';')[0])
        .find((x) => x.startsWith('wf_session='));
      if (c) cookie = c;
    };
    let res = await fetch(`${base}/login`);
    keep(res);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1];
    res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'reg', password: 'bench-password-1', _csrf: csrf }),
    });
    keep(res);
    if (res.status !== 303) throw new Error(`login failed: ${res.status}`);

    const pages = [
      '/inbox',
      '/inbox?overdue=1',
      '/inbox?level=red',
      '/spot-check?industry=dust_explosion',
      `/spot-check?name=${encodeURIComponent('企业12')}`,
      '/spot-check?level=red&online=no',
      `/enterprises/e${Math.floor(E / 2)}`,
      '/dashboard',
    ];
    console.log(
      'page                                   TTFB p50/p95 ms    full p50/p95 ms   first (cold) full ms   goal ≤ 1000 ms',
    );
    for (const p of pages) {
      const ttfb: number[] = [];
      const fullMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        t = performance.now();
        const r = await fetch(base + p, { headers: { cookie } });
        ttfb.push(performance.now() - t);
        const body = await r.text();
        fullMs.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`${p}: ${r.status} ${body.slice(0, 200)}`);
      }
      console.log(
        `${p.padEnd(38)} ${pct(ttfb, 50).toFixed(0).padStart(6)} / ${pct(ttfb, 95).toFixed(0).padEnd(8)}  ${pct(fullMs, 50).toFixed(0).padStart(6)} / ${pct(fullMs, 95).toFixed(0).padEnd(8)}  ${fullMs[0].toFixed(0).padStart(8)}             ${pct(fullMs, 95) <= 1000 && fullMs[0] <= 1000 ? 'met' : 'NOT met'}`,
      );
    }
    // Issue 16: the lists as files (one run each, read to the end) and a /metrics scrape (cold, then within its 30 s cache).
    console.log('export (issue 16)                              status  bytes       rows      time ms');
    for (const p of [
      '/exports/inbox?format=csv',
      '/exports/inbox?format=xlsx',
      '/exports/cases?format=csv',
      '/exports/cases?format=xlsx',
      '/exports/spot-check?format=xlsx&industry=dust_explosion',
    ]) {
      t = performance.now();
      const r = await fetch(base + p, { headers: { cookie } });
      const body = Buffer.from(await r.arrayBuffer());
      const ms = performance.now() - t;
      const rows = p.includes('csv') ? body.toString('utf8').split('\r\n').length - 2 : undefined;
      console.log(
        `${p.padEnd(46)} ${String(r.status).padEnd(7)} ${String(body.length).padEnd(11)} ${String(rows ?? '—').padEnd(9)} ${ms.toFixed(0)}`,
      );
    }
    for (const label of ['cold', 'cached']) {
      t = performance.now();
      const r = await fetch(`${base}/metrics`);
      const text = await r.text();
      console.log(
        `/metrics (${label}): ${r.status}, ${text.split('\n').length} lines, ${(performance.now() - t).toFixed(0)} ms`,
      );
    }
    console.log(`end: ${memory()} (the machine is shared: other engineers' tests may run at the same time)`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
