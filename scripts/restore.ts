/**
 * `npm run restore -- <backup.zip> [--data-dir <folder>]`: puts a backup made by `npm run backup` back into the
 * data folder (default .data/): the store and the files of its documents, reports and uploads. warnflow must be
 * stopped; the store it replaces is kept beside it as mongo.mv.before-restore-<time>.
 * Workflow state (Temporal's .data/temporal.sqlite) is not in the backup.
 */
import path from 'node:path';
import { paths, ports } from '../config';
import { restoreEmbeddedStore } from '../embedded/backup';
import { portOpen } from '../embedded/process';

const say = (l: string) => process.stderr.write(`[restore] ${l}\n`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--data-dir');
  const dataDir = i >= 0 ? path.resolve(args[i + 1]) : paths.data;
  const file = args.find((a, k) => !a.startsWith('--') && (i < 0 || k !== i + 1));
  if (!file) {
    say('usage: npm run restore -- <backup.zip> [--data-dir <folder>]');
    process.exit(2);
  }
  if (dataDir === paths.data && (await portOpen(ports.mongo))) {
    say(`warnflow is running (its store answers on port ${ports.mongo}): stop it first, then restore`);
    process.exit(2);
  }
  say(restoreEmbeddedStore(file, dataDir));
  say(`restored ${file} into ${dataDir}; start warnflow with npm start`);
}

main().catch((err) => {
  say(`failed: ${(err as Error).message}`);
  process.exit(1);
});
