/**
 * The data simulator: plays the seeded enterprises' data gateways, pushing a batch of readings per
 * enterprise to POST /api/v1/readings with the enterprise's own data-interface key, and video status.
 * Values wander inside each indicator's normal range; switches inject faults:
 *   --breach <device>:<indicator>        beyond the high alarm threshold (opens an alarm case)
 *   --silence <device>                   sends nothing for the device (opens an offline case)
 *   --out-of-range <device>:<indicator>  above the measurement range (a data-quality flag)
 *   --device-fault <device>:<indicator>  a fault indicator reports `fault` (opens a device-fault case; else `ok`)
 *   --every <seconds>                    seconds between rounds (default 60)
 *   --rounds <n>                         stop after n rounds (default: until stopped)
 *   --demo                               a short breach on the first enterprise's first device
 *                                        from round 3 to 7, so a demo shows an alarm open and close
 * It backs off when the interface answers 429/503 with Retry-After.
 * Usage: node dist/scripts/simulate.js --url http://127.0.0.1:3000 [switches]
 */
import fs from 'node:fs';
import { loadConfig } from '../config';
import { connectDatabase } from '../models';
import type { DeviceDoc, IndicatorDoc } from '../models/masterData';
import { DEMO_KEYS_FILE } from './seed';

interface Options {
  url: string;
  every: number;
  rounds?: number;
  breach: Set<string>;
  silence: Set<string>;
  outOfRange: Set<string>;
  deviceFault: Set<string>;
  demo: boolean;
}

export function parseArgs(argv: string[], defaultUrl: string): Options {
  const o: Options = {
    url: defaultUrl,
    every: 60,
    breach: new Set(),
    silence: new Set(),
    outOfRange: new Set(),
    deviceFault: new Set(),
    demo: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--url') o.url = next();
    else if (a === '--every') o.every = Number(next());
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--breach') o.breach.add(next());
    else if (a === '--silence') o.silence.add(next());
    else if (a === '--out-of-range') o.outOfRange.add(next());
    else if (a === '--device-fault') o.deviceFault.add(next());
    else if (a === '--demo') o.demo = true;
    else throw new Error(`unknown switch ${a}`);
  }
  if (!(o.every > 0)) throw new Error('--every must be a positive number of seconds');
  return o;
}

/** The value one indicator reports in a round: inside its normal band unless a fault asks otherwise. */
export function valueFor(ind: IndicatorDoc, round: number, fault?: 'breach' | 'out_of_range'): number {
  if (fault === 'out_of_range') return (ind.rangeMax ?? 1000) * 1.5;
  if (fault === 'breach')
    return ind.alarmHigh !== undefined
      ? ind.alarmHigh + Math.max(1, Math.abs(ind.alarmHigh) * 0.05)
      : (ind.rangeMax ?? 100) * 0.95;
  const lo = ind.normalMin ?? ind.alarmLow ?? ind.rangeMin ?? 0;
  const hi = ind.normalMax ?? ind.alarmHigh ?? ind.rangeMax ?? lo + 100;
  // A slow deterministic wave between 30 % and 70 % of the normal band: never frozen, never an alarm.
  const f = 0.5 + 0.2 * Math.sin(round / 3 + ind.code.length);
  return Math.round((lo + (hi - lo) * f) * 100) / 100;
}

/**
 * One item of a round: a value, or a fault indicator's status (kind fault: `ok`, `fault` when switched on). `demoBreach`:
 * the --demo breach is on for this indicator now.
 */
export function readingFor(
  deviceCode: string,
  ind: IndicatorDoc,
  round: number,
  ts: string,
  o: Pick<Options, 'breach' | 'outOfRange' | 'deviceFault'>,
  demoBreach = false,
) {
  const id = `${deviceCode}:${ind.code}`;
  if (ind.kind === 'fault')
    return { deviceCode, indicator: ind.code, status: o.deviceFault.has(id) ? 'fault' : 'ok', ts };
  const fault = o.outOfRange.has(id) ? 'out_of_range' : o.breach.has(id) || demoBreach ? 'breach' : undefined;
  return { deviceCode, indicator: ind.code, value: valueFor(ind, round, fault), ts };
}

async function main() {
  const config = loadConfig();
  const o = parseArgs(process.argv.slice(2), `http://127.0.0.1:${config.webPort}`);
  const say = (l: string) => process.stderr.write(`[simulator] ${l}\n`);
  if (!fs.existsSync(DEMO_KEYS_FILE))
    throw new Error(
      `${DEMO_KEYS_FILE} is missing: the simulator plays the seeded demo world (npm start seeds it on first run)`,
    );
  const keys = JSON.parse(fs.readFileSync(DEMO_KEYS_FILE, 'utf8')) as { enterpriseId: string; key: string }[];
  const { conn, models } = await connectDatabase(config.mongodbUri);
  const devices = await models.Device.find({
    enterpriseId: { $in: keys.map((k) => k.enterpriseId) },
    status: 'active',
  }).lean<DeviceDoc[]>();
  const channels = await models.VideoChannel.find({ enterpriseId: { $in: keys.map((k) => k.enterpriseId) } }).lean();
  await conn.close();
  const demoTarget =
    o.demo && devices[0]
      ? `${devices[0]._id}:${devices[0].indicators.find((i) => i.alarmHigh !== undefined)?.code}`
      : undefined;
  say(
    `${keys.length} enterprises, ${devices.length} devices, ${channels.length} video channels → ${o.url} every ${o.every} s`,
  );

  let stopped = false;
  process.once('SIGTERM', () => (stopped = true));
  process.once('SIGINT', () => (stopped = true));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  for (let round = 1; !stopped && (o.rounds === undefined || round <= o.rounds); round++) {
    const started = Date.now();
    const ts = new Date().toISOString();
    let accepted = 0;
    for (const { enterpriseId, key } of keys) {
      const readings = devices
        .filter((d) => d.enterpriseId === enterpriseId && !o.silence.has(d._id))
        .flatMap((d) =>
          d.indicators.map((ind) =>
            readingFor(d._id, ind, round, ts, o, `${d._id}:${ind.code}` === demoTarget && round >= 3 && round <= 7),
          ),
        );
      const statuses = channels
        .filter((c) => c.enterpriseId === enterpriseId && !o.silence.has(c._id))
        .map((c) => ({ channelId: c._id, online: true, ts }));
      for (const [path, body] of [
        ['/api/v1/readings', { readings }],
        ['/api/v1/video-status', { statuses }],
      ] as const) {
        if ((path.endsWith('readings') ? readings : statuses).length === 0) continue;
        for (let attempt = 0; attempt < 5 && !stopped; attempt++) {
          let res: Response;
          try {
            res = await fetch(`${o.url}${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify(body),
            });
          } catch (err) {
            say(`${enterpriseId}: ${(err as Error).message}; retrying`);
            await sleep(2000);
            continue;
          }
          if (res.status === 429 || res.status === 503) {
            await sleep(Number(res.headers.get('retry-after') ?? '5') * 1000);
            continue;
          }
          const out = (await res.json().catch(() => ({}))) as { accepted?: number; error?: string };
          if (res.status >= 400) say(`${enterpriseId} ${path}: ${res.status} ${out.error ?? ''}`);
          accepted += out.accepted ?? 0;
          break;
        }
      }
    }
    say(
      `round ${round}: ${accepted} items accepted${demoTarget && round >= 3 && round <= 7 ? ` (demo breach on ${demoTarget})` : ''}`,
    );
    const wait = o.every * 1000 - (Date.now() - started);
    for (let waited = 0; waited < wait && !stopped; waited += 250) await sleep(Math.min(250, wait - waited));
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`[simulator] failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
