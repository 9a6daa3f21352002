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
  if (!process.env.WARNFLOW_DATA_DIR) {
    process.env.WARNFLOW_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-test-data-'));
    (globalThis as Record<string, unknown>).__warnflowTestData = process.env.WARNFLOW_DATA_DIR;
  }
  (globalThis as Record<string, unknown>).__warnflowServices = services;
}
