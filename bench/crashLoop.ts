/**
 * Crash loop of the embedded store (issue 11; prints figures, not a test):
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/crashLoop.js            # 20 kills
 *   node dist/bench/crashLoop.js --kills 5 --clients 8
 *
 * Starts the bench stack with the MongoDB server supervised as `npm start` runs it (started again when it
 * dies) and the web app, then keeps --clients loops writing as the app does — ingestion (reading buckets,
 * a sample `$set` per reading, upserted) and case work (a case record, its task, the task done) — while it
 * kills the database server with SIGKILL at a random moment (0.5–4 s apart) --kills times. After each kill
 * it waits for GET /health to answer 200 again (nobody restarts anything by hand). At the end it checks that
 * every write the driver acknowledged is in the database: each acknowledged reading sample, case record,
 * task and "done". Prints the time from each kill to green health and the counts; "lost 0" is the goal.
 */
import { benchDataDir } from './scratchData'; // first: files go to a scratch folder, not .data/
import fs from 'node:fs';
import { fmt, machineLines, pct } from './machine';
import { startBenchStack } from './stack';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const KILLS = arg('kills', 20);
const CLIENTS = arg('clients', 8);

async function main() {
  for (const l of machineLines()) console.log(l);
  console.log(
    `${KILLS} kills (SIGKILL) of the database server, ${CLIENTS} writing clients, H2 file backend supervised as npm start runs it`,
  );
  const stack = await startBenchStack({ name: 'crash', taskQueue: 'bench-crash', worker: false, mongoRestart: true });
  const { models, base, mongo } = stack;
  const acked = {
    samples: new Map<string, Set<string>>(),
    cases: new Set<string>(),
    tasks: new Set<string>(),
    done: new Set<string>(),
  };
  let failed = 0;
  let stop = false;

  const client = async (c: number) => {
    for (let i = 0; !stop; i++) {
      try {
        if (i % 4 !== 3) {
          // Ingestion: one reading into its hourly bucket.
          const id = `bench-c${c}-D${i % 7}/dust/2026-12-03T0${i % 10}`;
          const key = `t${i}`;
          await models.ReadingBucket.updateOne(
            { _id: id },
            {
              $set: { [`samples.${key}`]: i / 10, updatedAt: new Date() },
              $setOnInsert: {
                deviceCode: `bench-c${c}-D${i % 7}`,
                indicator: 'dust',
                enterpriseId: `e${c}`,
                hour: new Date('2026-12-03T00:00:00Z'),
              },
            },
            { upsert: true },
          );
          if (!acked.samples.has(id)) acked.samples.set(id, new Set());
          acked.samples.get(id)!.add(key);
        } else {
          // Case work: open a case with its task, then finish the task.
          const caseId = `alarm/bench-c${c}/${i}`;
          const now = new Date();
          await models.CaseRecord.create({
            _id: caseId,
            type: 'monitoring_alarm',
            enterpriseId: `e${c}`,
            regionPath: ['city', 'd1'],
            industry: 'dust_explosion',
            title: `报警 ${c}/${i}`,
            status: 'open',
            openedAt: now,
            deadlines: [],
            timeline: [{ key: 'opened', at: now.toISOString(), kind: 'opened', actor: 'system' }],
            updatedAt: now,
          });
          acked.cases.add(caseId);
          await models.Task.create({
            _id: `${caseId}/handle`,
            caseId,
            caseType: 'monitoring_alarm',
            kind: 'handle',
            title: `处置 ${c}/${i}`,
            enterpriseId: `e${c}`,
            status: 'open',
            form: 'alarmHandling',
            createdAt: now,
          });
          acked.tasks.add(`${caseId}/handle`);
          await models.Task.updateOne({ _id: `${caseId}/handle` }, { $set: { status: 'done' } });
          acked.done.add(`${caseId}/handle`);
        }
      } catch {
        failed++; // not acknowledged: the server was down (or died mid-write)
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const health = async () => {
    try {
      return (await fetch(`${base}/health`)).status === 200;
    } catch {
      return false;
    }
  };

  const toGreen: number[] = [];
  let notGreen = 0;
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  try {
    for (let k = 1; k <= KILLS; k++) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 3500));
      const pid = mongo.pid();
      if (!pid) throw new Error('no database server process');
      process.kill(pid, 'SIGKILL');
      const killedAt = performance.now();
      // Wait for the supervisor to notice and start it; then for the app's health to turn green.
      while (mongo.pid() === pid && performance.now() - killedAt < 60_000) await new Promise((r) => setTimeout(r, 50));
      let green = false;
      while (!(green = await health()) && performance.now() - killedAt < 180_000)
        await new Promise((r) => setTimeout(r, 200));
      const ms = performance.now() - killedAt;
      if (green) toGreen.push(ms);
      else notGreen++;
      console.log(
        `kill ${k}: pid ${pid} → ${mongo.pid()}, health ${green ? `green after ${(ms / 1000).toFixed(1)} s` : 'NOT green within 180 s'}; acknowledged so far: ${[...acked.samples.values()].reduce((a, s) => a + s.size, 0)} readings, ${acked.cases.size} cases`,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    stop = true;
    await Promise.all(clients);
  }

  // Every acknowledged write must be there.
  let lost = 0;
  const sampleIds = [...acked.samples.keys()];
  for (let s = 0; s < sampleIds.length; s += 500) {
    const docs = await models.ReadingBucket.find({ _id: { $in: sampleIds.slice(s, s + 500) } }, { samples: 1 }).lean();
    const byId = new Map(docs.map((d) => [d._id, d.samples]));
    for (const id of sampleIds.slice(s, s + 500))
      for (const key of acked.samples.get(id)!) if (!(byId.get(id) && key in byId.get(id)!)) lost++;
  }
  const count = async (ids: string[], find: (chunk: string[]) => Promise<number>) => {
    let found = 0;
    for (let s = 0; s < ids.length; s += 500) found += await find(ids.slice(s, s + 500));
    return found;
  };
  const cases = [...acked.cases];
  const tasks = [...acked.tasks];
  const done = [...acked.done];
  lost += cases.length - (await count(cases, (ids) => models.CaseRecord.countDocuments({ _id: { $in: ids } })));
  lost += tasks.length - (await count(tasks, (ids) => models.Task.countDocuments({ _id: { $in: ids } })));
  lost += done.length - (await count(done, (ids) => models.Task.countDocuments({ _id: { $in: ids }, status: 'done' })));
  const readings = [...acked.samples.values()].reduce((a, s) => a + s.size, 0);
  console.log(
    `kills ${KILLS}; health green again after every kill: ${notGreen === 0 ? 'yes' : `NO (${notGreen} not green)`}; kill → green p50 ${fmt(pct(toGreen, 50) / 1000, 1)} s, max ${fmt(Math.max(...toGreen) / 1000, 1)} s`,
  );
  console.log(
    `acknowledged: ${readings} readings, ${cases.length} cases, ${tasks.length} tasks, ${done.length} tasks done; not acknowledged (server down): ${failed}; lost ${lost} (goal 0)`,
  );
  await stack.stop();
  if (benchDataDir.includes('warnflow-bench-data-')) fs.rmSync(benchDataDir, { recursive: true, force: true });
  process.exit(lost === 0 && notGreen === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
