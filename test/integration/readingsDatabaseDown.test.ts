/**
 * With the database server stopped for a while, the monitoring-data interface answers 503 with
 * Retry-After, and every reading it acknowledged before or after is stored exactly once.
 * Its own mongo-java-server (H2 file, so a restart keeps the data) on a fixed port, stopped and restarted.
 */
import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startMongo } from '../../embedded/mongo';
import { freePort } from '../../embedded/process';
import { createLogger } from '../../lib/log';
import { createMailer } from '../../lib/mailer';
import { connectDatabase, Models } from '../../models';
import { closeApp, createApp } from '../../web/app';
import { env } from '../helpers/stack';
import { SeededEnterprise, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

type Mongo = Awaited<ReturnType<typeof startMongo>>;
let mongo: Mongo | undefined;
let port: number;
let dataDir: string;
let conn: Awaited<ReturnType<typeof connectDatabase>>['conn'];
let models: Models;
let temporalConnection: Connection;
let server: Server;
let app: ReturnType<typeof createApp>;
let baseUrl: string;
let ent: SeededEnterprise;
const mailer = createMailer('smtp://127.0.0.1:9');

async function start(): Promise<Mongo> {
  return startMongo({ logDir: dataDir, dataDir, forceEmbedded: true, port });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-dbdown-'));
  port = await freePort();
  mongo = await start();
  ({ conn, models } = await connectDatabase(`${mongo.address}/dbdown`, { serverSelectionTimeoutMS: 3000 }));
  await seedRegions(models, 'd');
  ent = await seedEnterprise(models, 'd', 1, { devices: 2 });
  temporalConnection = await Connection.connect({ address: env('TEMPORAL_ADDRESS') });
  app = createApp({
    config: {
      taskQueue: `dbdown-${port}`,
      publicUrl: 'http://127.0.0.1',
      mailboxDir: undefined,
      temporalAddress: env('TEMPORAL_ADDRESS'),
    },
    temporal: new Client({ connection: temporalConnection }),
    db: conn,
    models,
    mailer,
    log: createLogger({ service: 'web-test' }, 'error'),
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  if (server) await new Promise((r) => server.close(r));
  if (app) await closeApp(app);
  await temporalConnection?.close();
  await conn?.close(true).catch(() => undefined);
  await mongo?.stop();
  mailer.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('answers 503 with Retry-After while the database is down, and stores every acknowledged reading exactly once', async () => {
  const t0 = Date.now() - 3600_000;
  let seq = 0;
  const batch = () =>
    ent.devices.map((deviceCode) => {
      seq++;
      // Values inside the normal band: this test is about storage, not alarms.
      return { deviceCode, indicator: 'dp', value: 300 + (seq % 500), ts: new Date(t0 + seq * 1000).toISOString() };
    });
  const acknowledged = new Map<string, number>();
  const statuses: number[] = [];
  let retryAfter: string | null = null;

  /** A well-behaved client: sends a batch until it is acknowledged, honouring 503/429. */
  async function send(items: ReturnType<typeof batch>, maxTries = 1): Promise<boolean> {
    for (let i = 0; i < maxTries; i++) {
      const res = await fetch(`${baseUrl}/api/v1/readings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
        body: JSON.stringify({ readings: items }),
      });
      statuses.push(res.status);
      if (res.status === 200) {
        const out = (await res.json()) as { results: { status: string }[] };
        out.results.forEach((r, j) => {
          expect(['accepted', 'duplicate']).toContain(r.status);
          acknowledged.set(`${items[j].deviceCode}/${items[j].ts}`, items[j].value);
        });
        return true;
      }
      expect([503, 429]).toContain(res.status);
      retryAfter = res.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  for (let i = 0; i < 5; i++) expect(await send(batch())).toBe(true);

  await mongo!.stop();
  mongo = undefined;
  // While down: every batch is refused (never acknowledged), with Retry-After.
  const pending: ReturnType<typeof batch>[] = [];
  const downUntil = Date.now() + 4000;
  while (Date.now() < downUntil) {
    const b = batch();
    if (!(await send(b))) pending.push(b);
    else pending.push(b); // acknowledged before the driver noticed: it must be stored — sending again is harmless
  }
  expect(statuses).toContain(503);
  expect(retryAfter).not.toBeNull();

  mongo = await start();
  // The pending batches are sent again until acknowledged, then more new ones.
  for (const b of pending) expect(await send(b, 150)).toBe(true);
  for (let i = 0; i < 5; i++) expect(await send(batch(), 50)).toBe(true);

  const buckets = await models.ReadingBucket.find({ enterpriseId: ent.enterpriseId }).lean();
  const stored = new Map<string, number>();
  for (const b of buckets) {
    for (const [k, v] of Object.entries(b.samples)) {
      const ts = new Date(b.hour.getTime() + Number(k.slice(1))).toISOString();
      const key = `${b.deviceCode}/${ts}`;
      expect(stored.has(key)).toBe(false);
      stored.set(key, v);
    }
  }
  expect(stored.size).toBe(acknowledged.size);
  for (const [k, v] of acknowledged) expect(stored.get(k)).toBe(v);
}, 180_000);
