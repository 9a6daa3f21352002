/** The Temporal dev server (`temporal server start-dev`): loopback only, search attributes registered at start. */
import { Connection } from '@temporalio/client';
import path from 'node:path';
import { searchAttributes } from '../config';
import { RunningService, freePort, portOpen, startProcess, stopProcess, waitFor } from './process';
import { ensureTemporalCli } from './tools';

export interface TemporalDevServerOptions {
  port?: number;
  uiPort?: number;
  /** SQLite file for the main run (workflows survive a restart); omitted → in memory (tests). */
  dbFile?: string;
  headless?: boolean;
  logDir: string;
}

export async function startTemporalDevServer(
  opts: TemporalDevServerOptions,
): Promise<RunningService & { uiUrl?: string }> {
  const bin = ensureTemporalCli();
  const port = opts.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--log-level',
    'warn',
    '--namespace',
    'default',
  ];
  let uiUrl: string | undefined;
  if (opts.headless) args.push('--headless');
  else {
    const uiPort = opts.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);

  const { child, logFile } = startProcess(`temporal-${port}`, bin, args, opts.logDir);
  const address = `127.0.0.1:${port}`;
  await waitFor(
    `Temporal dev server on ${address}`,
    async () => {
      if (!(await portOpen(port))) return false;
      try {
        const conn = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await conn.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await conn.close();
        }
      } catch {
        return false;
      }
    },
    60000,
    child,
    logFile,
  );
  return { name: 'temporal', address, uiUrl, stop: () => stopProcess(child) };
}

export function temporalDbFile(dataDir: string): string {
  return path.join(dataDir, 'temporal.sqlite');
}
