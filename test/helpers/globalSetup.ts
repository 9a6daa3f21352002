/** One Temporal dev server, one MongoDB-wire server and one SMTP catcher for the whole test run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServices } from '../../embedded';
import { ensureTools } from '../../embedded/tools';

export default async function globalSetup(): Promise<void> {
  ensureTools(process.env, undefined, { testServer: true });
  const services = await startServices('test');
  // Test files run in workers forked after this, so they inherit these addresses.
  Object.assign(process.env, services.env);
  // Uploads and report PDFs written by tests go to a folder of the run, not the main run's .data/.
  // Named `.data` like the main run's: files served from under a dot folder must be served in tests too.
  if (!process.env.WARNFLOW_DATA_DIR) {
    const run = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-test-data-'));
    process.env.WARNFLOW_DATA_DIR = path.join(run, '.data');
    fs.mkdirSync(process.env.WARNFLOW_DATA_DIR);
    (globalThis as Record<string, unknown>).__warnflowTestData = run;
  }
  (globalThis as Record<string, unknown>).__warnflowServices = services;
}
