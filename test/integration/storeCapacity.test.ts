/**
 * Issue 11: /health reports the embedded store's size against the largest tested one, and names MONGODB_URI
 * once the store nears it. Its own mongo-java-server on an H2 file (the capacity command is the file backend's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { capacityWarning, embeddedStoreCapacity } from '../../config/storeCapacity';
import { embeddedStoreStatus, startMongo } from '../../embedded/mongo';
import { createMailer } from '../../lib/mailer';
import { connectDatabase } from '../../models';
import { createHealthService } from '../../web/health/service';
import { env } from '../helpers/stack';

test('/health says how full the embedded store is; a store near the tested size is told to use MONGODB_URI', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-capacity-'));
  const mongo = await startMongo({ logDir: scratch, dataDir: scratch, forceEmbedded: true });
  const { conn } = await connectDatabase(`${mongo.address}/capacity`);
  const mailer = createMailer(env('SMTP_URL'));
  const health = createHealthService({ temporalAddress: env('TEMPORAL_ADDRESS'), db: conn, mailer });
  try {
    await conn.db!.collection('a').insertMany(Array.from({ length: 700 }, (_, i) => ({ _id: `a${i}` }) as never));
    await conn.db!.collection('b').insertMany(Array.from({ length: 34 }, (_, i) => ({ _id: `b${i}` }) as never));
    await conn.db!.collection('b').deleteOne({ _id: 'b0' } as never);

    const report = await health.check();
    expect(report.store).toMatchObject({ documents: 733, testedDocuments: embeddedStoreCapacity.testedDocuments });
    expect(report.store!.fileBytes).toBeGreaterThan(0);
    expect(report.store!.warning).toBeUndefined();
    expect(await embeddedStoreStatus(mongo.address)).toEqual({ documents: 733, fileBytes: report.store!.fileBytes });

    // Near the tested size (here a tested size of 900 documents, warned from 80 %): the sentence names MONGODB_URI.
    expect(
      capacityWarning({ documents: 733, fileBytes: 3 * 2 ** 30 }, { testedDocuments: 900, warnAtShare: 0.8 }),
    ).toBe(
      'the embedded store holds 733 documents (3.0 GiB), 81 % of the largest size tested (900): set MONGODB_URI to a real MongoDB before it grows further (README "Capacity")',
    );
    expect(
      capacityWarning({ documents: 719, fileBytes: 1 }, { testedDocuments: 900, warnAtShare: 0.8 }),
    ).toBeUndefined();
  } finally {
    await health.close();
    mailer.close();
    await conn.close();
    await mongo.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}, 60_000);
