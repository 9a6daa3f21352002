/** Installs the tools the environment does not already provide (see embedded/tools.ts). */
import { ensureTools } from '../embedded/tools';

try {
  ensureTools(process.env, undefined, { testServer: process.argv.includes('--test-server') });
} catch (err) {
  console.error(`[setup] ${(err as Error).message}`);
  process.exit(1);
}
