/**
 * MQTT ingestion on a real mosquitto (its own, so this file may restart it) with the real MQTT.js client:
 * gateways authenticate with their data key and publish to their enterprise's topic; the ingester stores
 * through the readings interface's one service (validation, duplicates, alarms) and answers on the replies topic.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, type RunningBroker } from '../../embedded/mosquitto';
import { ensureMosquitto } from '../../embedded/tools';
import { mqttTopics } from '../../lib/brokerAuth';
import { createLogger } from '../../lib/log';
import { createAuditService } from '../../web/access/audit';
import { createDataKeyService, type DataKeyService } from '../../web/access/dataKeys';
import { HttpError } from '../../web/errors';
import { createBrokerAuthSync, type MqttIngester, type MqttReply, startMqttIngester } from '../../web/monitoring/mqtt';
import { createReadingService, type ReadingService } from '../../web/monitoring/readings';
import { SeededEnterprise, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';

let stack: Stack;
let broker: RunningBroker;
let dir: string;
let readings: ReadingService;
let dataKeys: DataKeyService;
let ingester: MqttIngester;
let ent: SeededEnterprise;
let other: SeededEnterprise;
/** The enterprise's key as issued through the data-key service (which gives it its broker password). */
let gatewayKey: { keyId: string; key: string };
const log = createLogger({ service: 'mqtt-test' }, 'error');
const gateways: MqttClient[] = [];

beforeAll(async () => {
  const mosquitto = ensureMosquitto();
  if (!mosquitto) throw new Error('mosquitto could not be installed (embedded/tools.ts ensureMosquitto)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-mqtt-'));
  broker = await startMosquitto({ mosquitto, dir: path.join(dir, 'broker'), logDir: path.join(dir, 'logs') });
  stack = await startStack();
  await seedRegions(stack.models, 'mq');
  ent = await seedEnterprise(stack.models, 'mq', 1, { devices: 4 });
  other = await seedEnterprise(stack.models, 'mq', 2);
  readings = createReadingService({
    models: stack.models,
    db: stack.db,
    temporal: stack.client,
    taskQueue: stack.taskQueue,
    publicUrl: 'http://127.0.0.1',
  });
  const keysChanged = createBrokerAuthSync({
    dir: broker.dir,
    ingesterUrl: broker.ingesterUrl,
    users: () => dataKeys.brokerUsers(),
  });
  dataKeys = createDataKeyService({
    models: stack.models,
    audit: createAuditService({ models: stack.models }),
    keysChanged,
  });
  gatewayKey = await dataKeys.issue('test', ent.enterpriseId, 'gateway');
  ingester = startMqttIngester({ url: broker.ingesterUrl, clientId: 'ingester-test', readings, log, reconnectMs: 500 });
  await ingester.ready;
});
afterAll(async () => {
  for (const g of gateways) await g.endAsync(true).catch(() => undefined);
  await ingester?.stop();
  await broker?.stop();
  await stack?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A gateway of the enterprise, connected with its data key, listening to its replies. */
async function gateway(key: { keyId: string; key: string }, enterpriseId = ent.enterpriseId) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    username: key.keyId,
    password: key.key,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  gateways.push(client);
  const replies: MqttReply[] = [];
  client.on('message', (_topic, payload) => replies.push(JSON.parse(payload.toString()) as MqttReply));
  await client.subscribeAsync(mqttTopics.replies(enterpriseId), { qos: 1 });
  /** Publishes a batch with QoS 1 and waits for its reply (by batchId). */
  async function send(batchId: string, items: unknown[]): Promise<MqttReply> {
    await client.publishAsync(mqttTopics.readings(enterpriseId), JSON.stringify({ batchId, readings: items }), {
      qos: 1,
    });
    return until(async () => replies.find((r) => r.batchId === batchId), `the reply to ${batchId}`);
  }
  return { client, replies, send };
}

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

async function samplesOf(deviceCode: string): Promise<number[]> {
  const buckets = await stack.models.ReadingBucket.find({ deviceCode }).lean();
  return buckets.flatMap((b) => Object.values(b.samples)).sort((a, b) => a - b);
}

describe('MQTT ingestion', () => {
  it('a batch published with the data key is stored and answered; sent again it is a duplicate, stored once', async () => {
    const g = await gateway(gatewayKey);
    const item = { deviceCode: ent.devices[0], indicator: 'dp', value: 500, ts: iso(60_000) };
    expect(await g.send('b1', [item])).toEqual({ batchId: 'b1', accepted: 1, duplicates: 0, refused: 0, results: [] });
    expect(await samplesOf(ent.devices[0])).toEqual([500]);
    expect(await g.send('b2', [item])).toEqual({
      batchId: 'b2',
      accepted: 0,
      duplicates: 1,
      refused: 0,
      results: [{ index: 0, status: 'duplicate' }],
    });
    expect(await samplesOf(ent.devices[0])).toEqual([500]);
  });

  it("another enterprise's device is refused item by item, and its topic is closed to this key", async () => {
    const g = await gateway(gatewayKey);
    const reply = await g.send('foreign', [
      { deviceCode: other.devices[0], indicator: 'dp', value: 1, ts: iso(0) },
      { deviceCode: ent.devices[1], indicator: 'dp', value: 'high', ts: iso(0) },
    ]);
    expect(reply).toMatchObject({ batchId: 'foreign', accepted: 0, refused: 2 });
    expect(reply.results[0]).toMatchObject({
      index: 0,
      status: 'refused',
      field: 'deviceCode',
      error: `deviceCode: device ${other.devices[0]} belongs to another enterprise`,
    });
    expect(reply.results[1]).toMatchObject({ index: 1, status: 'refused', field: 'value' });
    expect(await stack.models.ReadingBucket.countDocuments({ deviceCode: other.devices[0] })).toBe(0);
    // The broker refuses a publish to the other enterprise's topic (MQTT 5 PUBACK 0x87 not authorized).
    await expect(
      g.client.publishAsync(
        mqttTopics.readings(other.enterpriseId),
        JSON.stringify([{ deviceCode: other.devices[0], indicator: 'dp', value: 2, ts: iso(0) }]),
        { qos: 1 },
      ),
    ).rejects.toThrow(/not authorized/i);
  });

  it('a batch that is not JSON is answered with a message naming readings', async () => {
    const g = await gateway(gatewayKey);
    await g.client.publishAsync(mqttTopics.readings(ent.enterpriseId), 'not json', { qos: 1 });
    const reply = await until(async () => g.replies.find((r) => r.error), 'the reply to the bad batch');
    expect(reply).toMatchObject({ accepted: 0, field: 'readings' });
  });

  it('a revoked key cannot connect, and a gateway connected with it is dropped at once', async () => {
    const key = await dataKeys.issue('test', ent.enterpriseId, 'to revoke');
    const g = await gateway(key);
    expect(
      await g.send('before-revoke', [{ deviceCode: ent.devices[2], indicator: 'dp', value: 600, ts: iso(0) }]),
    ).toMatchObject({ accepted: 1 });
    await dataKeys.revoke('test', ent.enterpriseId, key.keyId);
    await until(async () => !g.client.connected || undefined, 'the revoked gateway dropped');
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
        username: key.keyId,
        password: key.key,
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/not authorized|bad user name or password/i);
    // The other key of the enterprise still works.
    const still = await gateway(gatewayKey);
    expect(
      await still.send('after-revoke', [{ deviceCode: ent.devices[2], indicator: 'dp', value: 601, ts: iso(0) }]),
    ).toMatchObject({ accepted: 1 });
  });

  it('three readings above the alarm threshold open the monitoring alarm case, as over HTTP', async () => {
    const g = await gateway(gatewayKey);
    const dev = ent.devices[3];
    const t0 = Date.now() - 120_000;
    const reply = await g.send(
      'alarm',
      [0, 1, 2].map((i) => ({
        deviceCode: dev,
        indicator: 'dp',
        value: 1200 + i,
        ts: new Date(t0 + i * 10_000).toISOString(),
      })),
    );
    expect(reply).toMatchObject({ accepted: 3, refused: 0 });
    const record = await until(
      () => stack.models.CaseRecord.findOne({ _id: new RegExp(`^alarm/${dev}/dp/`) }).lean(),
      'the alarm case record',
    );
    expect(record).toMatchObject({ type: 'monitoring_alarm', status: 'open', enterpriseId: ent.enterpriseId });
  });

  it('survives a broker restart: the ingester connects again and a batch published after it is stored', async () => {
    await broker.restart();
    const g = await gateway(gatewayKey);
    const reply = await g.send('after-restart', [
      { deviceCode: ent.devices[0], indicator: 'dp', value: 700, ts: iso(30_000) },
    ]);
    expect(reply).toMatchObject({ accepted: 1 });
    expect(await samplesOf(ent.devices[0])).toEqual([500, 700]);
  });
});

describe("the test run's services", () => {
  it('include an embedded broker (globalSetup) that the ingester user can reach', async () => {
    expect(process.env.WARNFLOW_MQTT_AUTH_DIR).toBeTruthy();
    const c = await mqtt.connectAsync(process.env.MQTT_URL!, { reconnectPeriod: 0 });
    await c.endAsync();
  });
});

describe('backpressure', () => {
  it('while the store is unavailable nothing is acknowledged; the broker delivers the batch again and it is stored once', async () => {
    // The real service behind a gate that answers 503 (as it does when MongoDB is down) for the first two deliveries.
    let refusals = 0;
    const gated: Pick<ReadingService, 'ingestReadings'> = {
      ingestReadings: (caller, body) => {
        if (refusals < 2) {
          refusals++;
          return Promise.reject(new HttpError(503, 'the monitoring-data store is unavailable'));
        }
        return readings.ingestReadings(caller, body);
      },
    };
    await ingester.stop();
    ingester = startMqttIngester({
      url: broker.ingesterUrl,
      clientId: 'ingester-test',
      readings: gated,
      log,
      reconnectMs: 300,
    });
    await ingester.ready;
    const g = await gateway(gatewayKey);
    const reply = await g.send('while-down', [
      { deviceCode: ent.devices[1], indicator: 'dp', value: 800, ts: iso(20_000) },
    ]);
    expect(refusals).toBe(2);
    expect(reply).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await samplesOf(ent.devices[1])).toEqual([800]);
  });
});
