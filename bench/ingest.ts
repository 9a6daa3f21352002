/**
 * Benchmark of the monitoring-data interface (prints figures; not a test).
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/ingest.js            # small scale
 *   node dist/bench/ingest.js --full                                                # 5,000 enterprises × 10 indicators, real time
 *   node dist/bench/ingest.js --enterprises 300 --speed 10 --seconds 20 --push-seconds 15 --clients 64
 *
 * Starts its own Temporal dev server, mongo-java-server (H2 file backend, as in the main run) and SMTP
 * catcher, a worker and the web app; seeds a province (one device with 10 indicators per enterprise);
 * measures the raw insert rate of the same database; then
 *  1. simulates the province: every enterprise posts its 10 readings every 5 minutes (time compressed by
 *     --speed), 1 % of the enterprises have one indicator in alarm and post every 10 s — readings/s
 *     accepted, p50/p99 ingest latency, alarm-to-case latency;
 *  2. pushes as fast as it will go with --clients concurrent clients until the interface refuses
 *     (429/503 with Retry-After), and checks that every acknowledged reading is stored exactly once.
 */
import { generateDataKey } from '../lib/dataKeys';
import type { IndicatorDoc } from '../models/masterData';
import { startBenchStack } from './stack';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

export interface IngestOptions {
  /** Enterprises of the province, each one device with 10 indicators posting every 5 minutes. */
  enterprises: number;
  /** Time compression of the simulated phase (10: a 5-minute interval passes in 30 s). */
  speed: number;
  seconds: number;
  pushSeconds: number;
  clients: number;
}

/** The figures of one run (bench/all.ts prints them in its summary table). */
export interface IngestFigures {
  rawDocsPerSecond: number;
  steadyPerSecond: number;
  steadyP99: number;
  pushPerSecond: number;
  acknowledged: number;
  acknowledgedMissing: number;
}

export function ingestOptionsFromArgs(): IngestOptions {
  const full = process.argv.includes('--full');
  return {
    enterprises: arg('enterprises', full ? 5000 : 200),
    speed: arg('speed', full ? 1 : 10),
    seconds: arg('seconds', full ? 120 : 20),
    pushSeconds: arg('push-seconds', full ? 60 : 15),
    clients: arg('clients', 64),
  };
}
const ALARM_SHARE = 0.01;

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

const indicators: IndicatorDoc[] = Array.from({ length: 10 }, (_, i) => ({
  code: `i${i}`,
  name: `指标${i}`,
  kind: 'differential_pressure',
  unit: 'Pa',
  alarmLow: 100,
  alarmHigh: 1000,
  rangeMin: 0,
  rangeMax: 5000,
  intervalSec: 300,
}));

export async function runIngestBench(o: IngestOptions): Promise<IngestFigures> {
  const { enterprises: E, speed: SPEED, seconds: SECONDS, pushSeconds: PUSH_SECONDS, clients: CLIENTS } = o;
  const say = (s: string) => console.log(s);
  say(
    `scale: ${E} enterprises × 10 indicators, time ×${SPEED}, ${SECONDS}s simulated phase, ${PUSH_SECONDS}s push phase with ${CLIENTS} clients`,
  );
  const stack = await startBenchStack({ name: 'ingest', taskQueue: 'bench', worker: true });
  const { models, base, conn } = stack;

  try {
    // Seed.
    let t = Date.now();
    await models.Region.create({ _id: 'b-zone', name: '功能区', kind: 'zone', path: ['b-zone'] });
    await models.Agency.create({
      _id: 'b-zone-safety',
      name: '安全部',
      role: 'zone_safety_dept',
      regionId: 'b-zone',
      industries: [],
      emails: ['zone@gov.example'],
    });
    const ents: { id: string; key: string; device: string; alarm: boolean }[] = [];
    for (let start = 0; start < E; start += 500) {
      const n = Math.min(500, E - start);
      const batch = Array.from({ length: n }, (_, j) => {
        const i = start + j;
        const k = generateDataKey();
        return {
          id: `b-ent-${i}`,
          key: k.key,
          keyId: k.keyId,
          hash: k.secretHash,
          device: `b-dev-${i}`,
          alarm: i % Math.round(1 / ALARM_SHARE) === 0,
        };
      });
      await models.Enterprise.insertMany(
        batch.map((b, j) => ({
          _id: b.id,
          name: `企业${start + j}`,
          uscc: `B${String(start + j).padStart(17, '0')}`,
          regionId: 'b-zone',
          regionPath: ['b-zone'],
          industry: 'dust_explosion',
          dustWorkers: 10,
          size: 'small',
          inherentRisk: 'blue',
          contacts: [{ name: 'x', email: `e${start + j}@ent.example` }],
          createdAt: new Date(),
        })),
      );
      await models.Device.insertMany(
        batch.map((b) => ({
          _id: b.device,
          enterpriseId: b.id,
          name: '除尘器',
          kind: 'sensor',
          status: 'active',
          indicators,
          createdAt: new Date(),
        })),
      );
      await models.DataKey.insertMany(
        batch.map((b) => ({
          _id: b.keyId,
          enterpriseId: b.id,
          secretHash: b.hash,
          createdAt: new Date(),
          createdBy: 'bench',
        })),
      );
      ents.push(...batch.map((b) => ({ id: b.id, key: b.key, device: b.device, alarm: b.alarm })));
    }
    say(`seeded ${E} enterprises in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // Raw insert rate of the same database: bucket-sized documents, batches of 100.
    const raw = conn.collection('bench_raw');
    t = Date.now();
    let rawDocs = 0;
    while (Date.now() - t < 5000) {
      await raw.insertMany(
        Array.from({ length: 100 }, (_, i) => ({
          _id: `r${rawDocs + i}` as never,
          deviceCode: 'x',
          indicator: 'y',
          hour: new Date(),
          samples: { t0: 1, t1000: 2 },
        })),
      );
      rawDocs += 100;
    }
    const rawRate = rawDocs / ((Date.now() - t) / 1000);
    say(`raw insert rate (insertMany ×100): ${rawRate.toFixed(0)} docs/s`);

    // Phase 1: the simulated province.
    const simStart = Date.now() - 3600_000; // readings in the recent past
    const latencies: number[] = [];
    const statusCount: Record<number, number> = {};
    let acceptedReadings = 0;
    const breachAckAt = new Map<string, number>();
    const post = async (key: string, readings: unknown[]) => {
      const s = Date.now();
      const res = await fetch(`${base}/api/v1/readings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ readings }),
      });
      const ms = Date.now() - s;
      statusCount[res.status] = (statusCount[res.status] ?? 0) + 1;
      const body = (await res.json()) as { accepted?: number; results?: { status: string }[]; error?: string };
      return { res, ms, body };
    };
    const phase1End = Date.now() + SECONDS * 1000;
    const wallStart = Date.now();
    const simNow = () => simStart + (Date.now() - wallStart) * SPEED;
    const nextNormal = ents.map((_, i) => (i / E) * 300_000); // sim ms offset, spread over 5 minutes
    const alarmEnts = ents.filter((e) => e.alarm);
    const nextAlarm = alarmEnts.map((_, i) => (i / Math.max(1, alarmEnts.length)) * 10_000);
    const alarmSent = alarmEnts.map(() => 0);
    const inflight = new Set<Promise<void>>();
    const caseLat: number[] = [];
    const visibleLat: number[] = [];
    const seenCases = new Set<string>();
    const pollCases = async () => {
      const recs = await models.CaseRecord.find({ type: 'monitoring_alarm' }, { _id: 1, openedAt: 1 }).lean();
      for (const r of recs) {
        const dev = r._id.split('/')[1];
        const sent = breachAckAt.get(dev);
        if (sent !== undefined && !seenCases.has(dev)) {
          seenCases.add(dev);
          caseLat.push(r.openedAt.getTime() - sent);
          visibleLat.push(Date.now() - sent);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    };
    let polling = false;
    const poller = setInterval(() => {
      if (polling) return;
      polling = true;
      void pollCases().finally(() => (polling = false));
    }, 50);
    while (Date.now() < phase1End) {
      const simElapsed = simNow() - simStart;
      for (let i = 0; i < ents.length; i++) {
        while (nextNormal[i] <= simElapsed) {
          const ts = new Date(simStart + nextNormal[i]).toISOString();
          nextNormal[i] += 300_000;
          const readings = indicators.map((ind, k) => ({
            deviceCode: ents[i].device,
            indicator: ind.code,
            value: 300 + ((i + k) % 200) + Math.random(),
            ts,
          }));
          const p = post(ents[i].key, ents[i].alarm ? readings.slice(1) : readings).then(({ ms, body }) => {
            latencies.push(ms);
            acceptedReadings += body.accepted ?? 0;
          });
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
      }
      for (let a = 0; a < alarmEnts.length; a++) {
        while (nextAlarm[a] <= simElapsed) {
          const ts = new Date(simStart + nextAlarm[a]).toISOString();
          nextAlarm[a] += 10_000;
          const n = ++alarmSent[a];
          const e = alarmEnts[a];
          const sentAt = Date.now();
          const p = post(e.key, [{ deviceCode: e.device, indicator: 'i0', value: 1200 + Math.random(), ts }]).then(
            ({ ms, body }) => {
              latencies.push(ms);
              acceptedReadings += body.accepted ?? 0;
              // The third reading in alarm passes the debounce: its batch starts the case.
              if (n === 3) breachAckAt.set(e.device, sentAt);
            },
          );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(inflight);
    const phase1Secs = (Date.now() - wallStart) / 1000;
    // Alarm-to-case latency: from sending the reading that passes the debounce to the case record
    // being opened (openedAt, written by the workflow) and to it being visible to a reader (polled every 50 ms).
    const waitUntil = Date.now() + 30_000;
    while (seenCases.size < breachAckAt.size && Date.now() < waitUntil) await pollCases();
    clearInterval(poller);
    say('');
    say(
      `phase 1 (simulated province): ${acceptedReadings} readings accepted in ${phase1Secs.toFixed(1)} s = ${(acceptedReadings / phase1Secs).toFixed(0)} readings/s (target rate ${(((E * 10) / 300 + alarmEnts.length / 10) * SPEED).toFixed(0)}/s)`,
    );
    say(
      `  ingest latency p50 ${f(pct(latencies, 50))} ms, p99 ${f(pct(latencies, 99))} ms, max ${f(Math.max(...latencies))} ms over ${latencies.length} batches; statuses ${JSON.stringify(statusCount)}`,
    );
    say(
      `  alarm-to-case latency (reading sent → case opened): p50 ${f(pct(caseLat, 50))} ms, p99 ${f(pct(caseLat, 99))} ms; → record seen by a reader: p50 ${f(pct(visibleLat, 50))} ms, p99 ${f(pct(visibleLat, 99))} ms; ${caseLat.length}/${breachAckAt.size} cases seen`,
    );
    say(
      `  alarm cases: ${await models.CaseRecord.countDocuments({ type: 'monitoring_alarm' })} for ${alarmEnts.length} indicators in alarm (one each expected)`,
    );

    // Phase 2: push as fast as it will go.
    const acked = new Map<string, number>();
    const p2Status: Record<number, number> = {};
    let retryAfterMissing = 0;
    const p2Lat: number[] = [];
    const p2End = Date.now() + PUSH_SECONDS * 1000;
    const p2Start = Date.now();
    let seq = 0;
    const pushBase = Date.now() - 2 * 86_400_000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const e = ents[c % ents.length];
        while (Date.now() < p2End) {
          const readings = Array.from({ length: 100 }, (_, k) => {
            const n = seq++;
            return {
              deviceCode: e.device,
              indicator: indicators[k % 10].code,
              value: 200 + (n % 500),
              ts: new Date(pushBase + n * 10).toISOString(),
            };
          });
          let sent = false;
          while (!sent && Date.now() < p2End + 30_000) {
            const s = Date.now();
            const res = await fetch(`${base}/api/v1/readings`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${e.key}` },
              body: JSON.stringify({ readings }),
            });
            p2Status[res.status] = (p2Status[res.status] ?? 0) + 1;
            const body = (await res.json()) as { results?: { status: string }[] };
            if (res.status === 200) {
              p2Lat.push(Date.now() - s);
              body.results!.forEach((r, j) => {
                if (r.status !== 'refused')
                  acked.set(`${readings[j].deviceCode}/${readings[j].indicator}/${readings[j].ts}`, readings[j].value);
              });
              sent = true;
            } else {
              const ra = res.headers.get('retry-after');
              if (!ra) retryAfterMissing++;
              // A polite client waits; under test we wait a tenth of it to keep the pressure on.
              await new Promise((r) => setTimeout(r, (Number(ra) || 1) * 100));
            }
          }
        }
      }),
    );
    const p2Secs = (Date.now() - p2Start) / 1000;
    // Every acknowledged reading stored exactly once?
    const devices = [...new Set(Array.from({ length: CLIENTS }, (_, c) => ents[c % ents.length].device))];
    const buckets = await models.ReadingBucket.find({
      deviceCode: { $in: devices },
      hour: { $lt: new Date(Date.now() - 86_400_000) },
    }).lean();
    let stored = 0;
    let missing = 0;
    const keys = new Set<string>();
    for (const b of buckets)
      for (const k of Object.keys(b.samples))
        keys.add(`${b.deviceCode}/${b.indicator}/${new Date(b.hour.getTime() + Number(k.slice(1))).toISOString()}`);
    for (const [k] of acked) {
      if (keys.has(k)) stored++;
      else missing++;
    }
    say('');
    say(
      `phase 2 (push until refused, ${CLIENTS} clients × 100-reading batches): ${acked.size} readings acknowledged in ${p2Secs.toFixed(1)} s = ${(acked.size / p2Secs).toFixed(0)} readings/s`,
    );
    say(
      `  statuses ${JSON.stringify(p2Status)}; refusals without Retry-After: ${retryAfterMissing}; latency of accepted batches p50 ${f(pct(p2Lat, 50))} ms, p99 ${f(pct(p2Lat, 99))} ms`,
    );
    say(
      `  acknowledged and stored: ${stored}; acknowledged but missing: ${missing}; samples stored for these devices: ${keys.size}`,
    );
    say('');
    say(
      `summary: raw insert ${rawRate.toFixed(0)} docs/s; interface steady ${(acceptedReadings / phase1Secs).toFixed(0)} readings/s (p99 ${f(pct(latencies, 99))} ms), max ${(acked.size / p2Secs).toFixed(0)} readings/s = ${((acked.size / p2Secs / rawRate) * 100).toFixed(0)} % of the raw document rate`,
    );
    return {
      rawDocsPerSecond: rawRate,
      steadyPerSecond: acceptedReadings / phase1Secs,
      steadyP99: pct(latencies, 99),
      pushPerSecond: acked.size / p2Secs,
      acknowledged: acked.size,
      acknowledgedMissing: missing,
    };
  } finally {
    await stack.stop();
  }
}

if (require.main === module) {
  runIngestBench(ingestOptionsFromArgs()).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
