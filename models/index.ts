/** All models bound to one connection, so each test file can use its own database. */
import mongoose, { Connection } from 'mongoose';
import { caseRecordModel } from './CaseRecord';
import { deliveryModel } from './Delivery';

export function createModels(conn: Connection) {
  return {
    CaseRecord: caseRecordModel(conn),
    Delivery: deliveryModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Connects, fails fast when the server is absent, and builds the declared indexes. */
export async function connectDatabase(uri: string, opts: { dbName?: string; serverSelectionTimeoutMS?: number } = {}): Promise<{ conn: Connection; models: Models }> {
  const conn = mongoose.createConnection(uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10000,
    autoIndex: false,
  });
  await conn.asPromise();
  const models = createModels(conn);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  return { conn, models };
}
