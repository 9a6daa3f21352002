/** MongoDB for the run and the tests: `mongod` on PATH, else the embedded mongo-java-server. */
import fs from 'node:fs';
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
}

export async function startMongo(opts: MongoOptions): Promise<RunningService & { kind: 'mongod' | 'mongo-java-server' }> {
  const port = opts.port ?? (await freePort());
  const mongod = opts.forceEmbedded ? undefined : which('mongod');
  let started;
  let kind: 'mongod' | 'mongo-java-server';
  if (mongod) {
    kind = 'mongod';
    const dbpath = opts.dataDir ? path.join(opts.dataDir, 'mongod') : fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'warnflow-mongod-'));
    fs.mkdirSync(dbpath, { recursive: true });
    started = startProcess(`mongod-${port}`, mongod, ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', dbpath], opts.logDir);
  } else {
    kind = 'mongo-java-server';
    const tool = ensureMongoJavaServer();
    const args = [
      // The H2 page cache is 512 MB (see WarnflowMongoServer.java); 1 GiB heap leaves it room.
      `-Xmx${opts.heap ?? (opts.dataDir ? '1g' : '512m')}`,
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
    started = startProcess(`mongo-${port}`, tool.java, args, opts.logDir);
  }
  const { child, logFile } = started;
  await waitFor(`MongoDB (${kind}) on 127.0.0.1:${port}`, () => portOpen(port), 60000, child, logFile);
  return { name: 'mongodb', kind, address: `mongodb://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}
