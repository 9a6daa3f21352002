/** MongoDB for the run and the tests: `mongod` on PATH, else the embedded mongo-java-server. */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningService, freePort, portOpen, startProcess, stopProcess, waitFor } from './process';
import { ensureMongoJavaServer, which } from './tools';

export interface MongoOptions {
  port?: number;
  /** Folder for the data: H2 MVStore file (or mongod dbpath). Omitted → memory backend (tests). */
  dataDir?: string;
  logDir: string;
  /** Prefer the embedded Java server even if mongod is on PATH (tests of its own behaviour). */
  forceEmbedded?: boolean;
  /** The Java server's heap (-Xmx), e.g. '8g' for a benchmark on the memory backend. */
  heap?: string;
  /**
   * Start the server again (same port, same data folder) whenever it exits without being stopped — a crash,
   * an OOM kill, a kill -9 — so the run heals without a person (`npm start` does this).
   */
  restart?: boolean;
  /** Where a restart is reported (the run's progress lines). */
  say?: (line: string) => void;
}

/** Heap of the embedded server on its H2 file (the run, benchmarks): README "Capacity" was measured with it. */
export const EMBEDDED_FILE_HEAP = '3g';

/** The wait before starting a server that exited again: 1 s, 2 s, 4 s … at most 30 s. */
const restartDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));

export async function startMongo(
  opts: MongoOptions,
): Promise<RunningService & { kind: 'mongod' | 'mongo-java-server'; pid(): number | undefined }> {
  const port = opts.port ?? (await freePort());
  const mongod = opts.forceEmbedded ? undefined : which('mongod');
  let started: { child: ChildProcess; logFile: string; command: string; args: string[] };
  let kind: 'mongod' | 'mongo-java-server';
  if (mongod) {
    kind = 'mongod';
    const dbpath = opts.dataDir
      ? path.join(opts.dataDir, 'mongod')
      : fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-mongod-'));
    fs.mkdirSync(dbpath, { recursive: true });
    const args = ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', dbpath];
    started = { ...startProcess(`mongod-${port}`, mongod, args, opts.logDir), command: mongod, args };
  } else {
    kind = 'mongo-java-server';
    const tool = ensureMongoJavaServer();
    const args = [
      // The H2 page cache is 512 MB (see WarnflowMongoServer.java). With 1 GiB the weekly report's aggregation over
      // 700,000 day figures left the server collecting garbage until clients timed out (issue 11); 3 GiB held it.
      `-Xmx${opts.heap ?? (opts.dataDir ? EMBEDDED_FILE_HEAP : '512m')}`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      tool.classpath,
      tool.mainClass,
      '--port',
      String(port),
      '--parent-pid',
      String(process.pid),
    ];
    if (opts.dataDir) {
      fs.mkdirSync(opts.dataDir, { recursive: true });
      args.push('--file', path.join(opts.dataDir, 'mongo.mv'));
    }
    started = { ...startProcess(`mongo-${port}`, tool.java, args, opts.logDir), command: tool.java, args };
  }
  const { child, logFile } = started;
  // A large H2 file takes long to open (start-up compaction; the 700,000-figure soak's 1.4 GiB store did not
  // answer within 60 s): give the file backend 5 minutes.
  const readyWithinMs = opts.dataDir ? 300_000 : 60_000;
  await waitFor(`MongoDB (${kind}) on 127.0.0.1:${port}`, () => portOpen(port), readyWithinMs, child, logFile);

  let current = child;
  let stopping = false;
  if (opts.restart) {
    const { command, args } = started;
    let attempts = 0;
    const watch = (c: ChildProcess) =>
      c.once('exit', (code, signal) => {
        if (stopping) return;
        // The delay grows only while the server dies before it serves (a crash at start); one that served
        // starts again after the shortest delay.
        const delay = restartDelayMs(attempts++);
        opts.say?.(
          `MongoDB (${kind}) on port ${port} exited (${signal ?? `code ${code}`}); starting it again in ${delay / 1000} s (log: ${logFile})`,
        );
        setTimeout(() => {
          if (stopping) return;
          const next = startProcess(`mongo-${port}`, command, args, opts.logDir).child;
          current = next;
          watch(next);
          waitFor(`MongoDB (${kind}) on 127.0.0.1:${port}`, () => portOpen(port), readyWithinMs, next, logFile).then(
            () => {
              attempts = 0;
              opts.say?.(`MongoDB (${kind}) on port ${port} serves again`);
            },
            () => undefined, // its exit is handled by watch()
          );
        }, delay).unref();
      });
    watch(child);
  }
  return {
    name: 'mongodb',
    kind,
    address: `mongodb://127.0.0.1:${port}`,
    /** The server process serving now (a restart replaces it). */
    pid: () => current.pid,
    stop: () => {
      stopping = true;
      return stopProcess(current);
    },
  };
}

/** The embedded store's size (documents in all collections, file bytes); undefined from any other server. */
export async function embeddedStoreStatus(
  address: string,
): Promise<{ documents: number; fileBytes: number } | undefined> {
  const mongoose = await import('mongoose');
  const conn = await mongoose.createConnection(address, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    const r = await conn.db!.admin().command({ warnflowStoreStatus: 1 });
    return { documents: Number(r.documents), fileBytes: Number(r.fileBytes) };
  } catch {
    return undefined;
  } finally {
    await conn.close();
  }
}
