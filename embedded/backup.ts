/**
 * Backup and restore of the embedded store (mongo-java-server's H2 file) and the files its documents point to.
 * A backup is taken by the running server itself (admin command `warnflowBackup`, see WarnflowMongoServer.java):
 * a consistent copy of what is committed, while it keeps serving. A restore unpacks a backup into a data folder
 * whose server is not running. Used by `npm run backup` / `npm run restore` (scripts/) and their test.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureMongoJavaServer } from './tools';

/** The folders of the data folder whose files the database refers to (report PDFs, documents, uploads). */
export const BACKED_UP_FOLDERS = ['documents', 'reports', 'uploads'];

export interface BackupResult {
  /** The zip written by the server, in `<data folder>/backups/`. */
  path: string;
  bytes: number;
  /** Files of BACKED_UP_FOLDERS in it. */
  files: number;
  ms: number;
}

/** Asks the embedded server at `address` (mongodb://host:port) to write a backup; fails on any other server. */
export async function backupEmbeddedStore(
  address: string,
  name = `warnflow-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`,
): Promise<BackupResult> {
  const conn = await mongoose.createConnection(address, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    const r = await conn.db!.admin().command({ warnflowBackup: name, include: BACKED_UP_FOLDERS });
    return { path: String(r.path), bytes: Number(r.bytes), files: Number(r.files), ms: Number(r.ms) };
  } catch (err) {
    if (/no such (cmd|command)|not supported|unknown/i.test((err as Error).message)) {
      throw new Error(
        `the server at ${address} is not warnflow's embedded store (a real MongoDB is backed up with mongodump): ${(err as Error).message}`,
      );
    }
    throw err;
  } finally {
    await conn.close();
  }
}

/**
 * Unpacks `zipFile` into `dataDir` (its store becomes `<dataDir>/mongo.mv`; an existing one is kept beside it
 * as mongo.mv.before-restore-<time>). The server must not be running on that folder. Returns what it printed.
 */
export function restoreEmbeddedStore(zipFile: string, dataDir: string): string {
  const tool = ensureMongoJavaServer();
  const r = spawnSync(
    tool.java,
    [
      '-cp',
      tool.classpath,
      tool.mainClass,
      '--restore',
      path.resolve(zipFile),
      '--file',
      path.join(path.resolve(dataDir), 'mongo.mv'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(
      `restore of ${zipFile} failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(0, 5).join('\n')}`,
    );
  return r.stdout.trim();
}
