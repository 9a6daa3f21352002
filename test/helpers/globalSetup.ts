/** One Temporal dev server, one MongoDB-wire server and one SMTP catcher for the whole test run. */
import { startServices } from '../../embedded';
import { ensureTools } from '../../embedded/tools';

export default async function globalSetup(): Promise<void> {
  ensureTools(process.env, undefined, { testServer: true });
  const services = await startServices('test');
  // Test files run in workers forked after this, so they inherit these addresses.
  Object.assign(process.env, services.env);
  (globalThis as Record<string, unknown>).__warnflowServices = services;
}
