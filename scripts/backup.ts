/**
 * `npm run backup`: a consistent copy of the embedded store (and the document, report and upload files it
 * refers to) into .data/backups/, taken while warnflow runs — or, when it is stopped, by starting the store
 * for a moment. With MONGODB_URI set, back up that MongoDB with its own tools (mongodump) instead.
 */
import { loadConfig, paths, ports } from '../config';
import { backupEmbeddedStore } from '../embedded/backup';
import { startMongo } from '../embedded/mongo';
import { freePort, portOpen } from '../embedded/process';

const say = (l: string) => process.stderr.write(`[backup] ${l}\n`);

async function main(): Promise<void> {
  if (process.env.MONGODB_URI) {
    say(
      `MONGODB_URI is set: warnflow's data is in that MongoDB; back it up with mongodump (this command copies the embedded store in ${paths.data})`,
    );
    process.exit(2);
  }
  loadConfig();
  let address = `mongodb://127.0.0.1:${ports.mongo}`;
  let stop: (() => Promise<void>) | undefined;
  if (!(await portOpen(ports.mongo))) {
    say(`warnflow is not running: opening the store in ${paths.data} for the backup`);
    const m = await startMongo({
      port: await freePort(),
      dataDir: paths.data,
      logDir: paths.logs,
      forceEmbedded: true,
    });
    address = m.address;
    stop = () => m.stop();
  }
  try {
    const r = await backupEmbeddedStore(address);
    say(
      `written ${r.path}: ${(r.bytes / 2 ** 20).toFixed(1)} MiB (the store and ${r.files} files) in ${(r.ms / 1000).toFixed(1)} s`,
    );
    say('copy it off this machine; `npm run restore -- <file>` brings it back (warnflow stopped)');
  } finally {
    await stop?.();
  }
}

main().catch((err) => {
  say(`failed: ${(err as Error).message}`);
  process.exit(1);
});
