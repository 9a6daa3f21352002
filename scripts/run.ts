/**
 * `npm start`: the whole system on this machine — embedded services (unless the environment names
 * them), demo data on first run, the worker and the web app — until Ctrl-C stops it all.
 */
import { spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config';
import { startServices } from '../embedded';
import { stopProcess, waitFor } from '../embedded/process';
import { ensureTools } from '../embedded/tools';
import { seedIfEmpty } from './seed';
import { openDemoCases } from './demoCases';
import { runBanner } from './runBanner';

const say = (l: string) => process.stderr.write(`[warnflow] ${l}\n`);

async function main() {
  const t0 = Date.now();
  ensureTools(process.env, (l) => process.stderr.write(`[setup] ${l}\n`));
  const services = await startServices('run', process.env, say);
  const env: NodeJS.ProcessEnv = { ...process.env, ...services.env };
  if (services.temporalUiUrl) env.WARNFLOW_TEMPORAL_UI_URL = services.temporalUiUrl;
  // `npm start` is the development run: the demo-case pages are on unless the environment says otherwise.
  env.WARNFLOW_DEMO ??= '1';
  // The demo world's model recomputes every 2 minutes (its rules hold a level 2 minutes: scripts/seed.ts).
  if (env.WARNFLOW_DEMO === '1') env.WARNFLOW_RISK_RECOMPUTE_EVERY ??= '2';
  const config = loadConfig(env);
  // Demo data on the first run: only an empty database is seeded.
  const seeded = (await seedIfEmpty(config.mongodbUri, say)).seeded;

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    for (const c of children.reverse()) await stopProcess(c);
    await services.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const start = (name: string, file: string) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', file)], { env, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${name} exited with code ${code}; stopping everything`);
        void stopAll(1);
      }
    });
    children.push(child);
  };
  start('worker', 'worker/index.js');
  start('web', 'web/server.js');

  await waitFor(
    'web app',
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${config.webPort}/health`)).ok;
      } catch {
        return false;
      }
    },
    120000,
  );

  // A guest too: demo cases in progress on the first run; a failure is reported, the system goes on.
  if (seeded)
    await openDemoCases(config.mongodbUri, `http://127.0.0.1:${config.webPort}`, say).catch((err) =>
      say(`demo cases not opened: ${(err as Error).message}`),
    );

  if (config.simulator) {
    // The simulator is a guest: if it stops, the system goes on.
    const sim = spawn(
      process.execPath,
      [path.join(__dirname, 'simulate.js'), '--demo', '--url', `http://127.0.0.1:${config.webPort}`],
      { env, stdio: 'inherit' },
    );
    sim.once('exit', (code) => !stopping && code && say(`simulator exited with code ${code}; the rest keeps running`));
    children.push(sim); // stopped first (children stop in reverse order)
  }

  const lines = runBanner(config, services, (Date.now() - t0) / 1000);
  process.stderr.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  say(`failed: ${(err as Error).message}`);
  process.exit(1);
});
