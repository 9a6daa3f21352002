/**
 * Issue 16: /metrics in Prometheus text format from the web app (request latency by route pattern, readings
 * accepted/refused, open cases by type and level, overdue tasks, failed deliveries, the embedded store's size)
 * and from the worker (the Temporal SDK's own telemetry plus warnflow's activity failures). Real servers.
 */
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startMongo } from '../../embedded/mongo';
import { createLogger } from '../../lib/log';
import { connectDatabase } from '../../models';
import { closeApp, createApp } from '../../web/app';
import { createMetricsService } from '../../web/metrics/service';
import { installQuietRuntime } from '../../worker/createWorker';
import { workerInterceptors } from '../../worker/metrics';
import { seedEnterprise, seedRegions, SeededEnterprise } from '../helpers/monitoringWorld';
import { env, startStack, Stack } from '../helpers/stack';

jest.setTimeout(120000);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The sample lines of one series name (with or without labels), as "name{labels} value". */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
/** The value of the sample whose labels contain every given pair. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = samples(text, name).find((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

let workerMetricsPort: number;
let stack: Stack;
let ent: SeededEnterprise;

beforeAll(async () => {
  // The Temporal runtime is one per process: installed with its Prometheus exporter before the stack's worker.
  workerMetricsPort = await freePort();
  installQuietRuntime({ metricsBindAddress: `127.0.0.1:${workerMetricsPort}` });
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'm');
  ent = await seedEnterprise(stack.models, 'm', 1);
  const now = Date.now();
  const base = { enterpriseId: ent.enterpriseId, regionPath: ['m-city', 'm-district', 'm-zone'], deadlines: [] };
  const kase = (id: string, type: string, level: string | undefined, status: string) => ({
    ...base,
    _id: id,
    type,
    ...(level ? { level } : {}),
    status,
    title: id,
    openedAt: new Date(now - 3600_000),
    timeline: [],
    updatedAt: new Date(),
  });
  await stack.models.CaseRecord.insertMany([
    kase('risk-warning/m-1', 'risk_warning', 'red', 'open'),
    kase('risk-warning/m-2', 'risk_warning', 'red', 'open'),
    kase('risk-warning/m-3', 'risk_warning', 'red', 'closed'),
    kase('monitoring-alarm/m-4', 'monitoring_alarm', 'orange', 'open'),
  ]);
  const task = (id: string, dueInMs: number, status: string) => ({
    _id: `risk-warning/m-1/${id}`,
    caseId: 'risk-warning/m-1',
    caseType: 'risk_warning',
    kind: 'warning_feedback',
    title: id,
    assigneeEnterpriseId: ent.enterpriseId,
    due: new Date(now + dueInMs),
    status,
    form: 'warningFeedback',
    createdAt: new Date(),
  });
  await stack.models.Task.insertMany([
    task('late', -60_000, 'open'),
    task('later', 3600_000, 'open'),
    task('late-but-done', -60_000, 'done'),
  ]);
  const delivery = (id: string, channel: string, status: string, permanent?: boolean) => ({
    _id: id,
    channel,
    to: ['x@example.com'],
    subject: 's',
    template: 't',
    status,
    attempts: 1,
    ...(permanent ? { permanent } : {}),
    createdAt: new Date(),
  });
  await stack.models.Delivery.insertMany([
    delivery('d1', 'email', 'failed', true),
    delivery('d2', 'webhook', 'failed'),
    delivery('d3', 'email', 'sent'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
});

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('the web app', () => {
  it('serves request latency by route pattern, readings by outcome, open cases, overdue tasks and failed deliveries', async () => {
    // Two requests to one page route with different ids: one series, labelled with the pattern.
    for (const id of ['m-ent-1', 'm-ent-2']) await fetch(`${stack.baseUrl}/enterprises/${id}`, { redirect: 'manual' });
    const batch = await fetch(`${stack.baseUrl}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
      body: JSON.stringify([
        { deviceCode: ent.devices[0], indicator: 'dp', value: 500, ts: new Date().toISOString() },
        { deviceCode: 'NO-SUCH-DEVICE', indicator: 'dp', value: 1, ts: new Date().toISOString() },
      ]),
    });
    expect(batch.status).toBe(207);

    const m = await scrape(`${stack.baseUrl}/metrics`);
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    const count = 'warnflow_http_request_duration_seconds_count';
    expect(value(m.text, count, { method: 'GET', route: '/enterprises/:enterpriseId', status: '303' })).toBe(2);
    expect(value(m.text, count, { method: 'POST', route: '/api/v1/readings', status: '207' })).toBe(1);
    // The raw URL never becomes a label (one series per route, not per enterprise).
    expect(m.text).not.toContain('m-ent-1');
    expect(value(m.text, 'warnflow_readings_total', { kind: 'reading', outcome: 'accepted' })).toBe(1);
    expect(value(m.text, 'warnflow_readings_total', { kind: 'reading', outcome: 'refused' })).toBe(1);
    expect(value(m.text, 'warnflow_open_cases', { type: 'risk_warning', level: 'red' })).toBe(2);
    expect(value(m.text, 'warnflow_open_cases', { type: 'monitoring_alarm', level: 'orange' })).toBe(1);
    expect(value(m.text, 'warnflow_overdue_tasks', { case_type: 'risk_warning' })).toBe(1);
    expect(value(m.text, 'warnflow_deliveries_failed', { channel: 'email', final: 'true' })).toBe(1);
    expect(value(m.text, 'warnflow_deliveries_failed', { channel: 'webhook', final: 'false' })).toBe(1);
    // The test servers keep the store in memory: the store's series is declared, its figures come from the H2 file.
    expect(m.text).toContain('# TYPE warnflow_store_documents gauge');
  });

  it('loopback callers read it without a token; a forwarded caller is refused; with METRICS_TOKEN only the bearer reads it', async () => {
    const forwarded = await scrape(`${stack.baseUrl}/metrics`, { 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded.status).toBe(403);
    expect(forwarded.text).toContain('METRICS_TOKEN');

    const app = createApp({
      config: {
        taskQueue: stack.taskQueue,
        publicUrl: 'http://127.0.0.1',
        temporalAddress: env('TEMPORAL_ADDRESS'),
        metricsToken: 'scrape-secret-0123456789',
      },
      temporal: stack.client,
      db: stack.db,
      models: stack.models,
      mailer: stack.mailer,
      log: createLogger({}, 'error'),
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/metrics`;
    try {
      expect((await scrape(url)).status).toBe(401);
      expect((await scrape(url, { authorization: 'Bearer wrong' })).status).toBe(401);
      const ok = await scrape(url, { authorization: 'Bearer scrape-secret-0123456789' });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('# TYPE warnflow_open_cases gauge');
    } finally {
      await new Promise((r) => server.close(r));
      await closeApp(app);
    }
  });

  it('gives the embedded store documents and file size from the H2 file', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-metrics-'));
    const mongo = await startMongo({ logDir: scratch, dataDir: scratch, forceEmbedded: true });
    const { conn, models } = await connectDatabase(`${mongo.address}/metrics`);
    try {
      await conn.db!.collection('a').insertMany(Array.from({ length: 42 }, (_, i) => ({ _id: `a${i}` }) as never));
      const text = await createMetricsService({ models, db: conn }).text();
      expect(value(text, 'warnflow_store_documents')).toBe(42);
      expect(value(text, 'warnflow_store_file_bytes')).toBeGreaterThan(0);
    } finally {
      await conn.close();
      await mongo.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the worker', () => {
  it("serves the Temporal SDK's own metrics and warnflow's activity failures by activity type", async () => {
    const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
    const taskQueue = `${stack.taskQueue}-failing`;
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/workflows/failingActivity'),
      activities: {
        refuse: () => Promise.reject(new Error('refused on purpose')),
      },
      interceptors: workerInterceptors,
    });
    const client = new Client({ connection: stack.client.connection });
    try {
      const result = await worker.runUntil(
        client.workflow.execute('failingActivity', { taskQueue, workflowId: `metrics-failing-${taskQueue}` }),
      );
      expect(result).toBe('failed');
    } finally {
      await connection.close();
    }
    // The exporter is read by Prometheus on its own port (WARNFLOW_WORKER_METRICS_PORT in production).
    const url = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    let text = '';
    for (let i = 0; i < 50 && !/warnflow_activity_failures/.test(text); i++) {
      text = (await scrape(url)).text;
      if (!/warnflow_activity_failures/.test(text)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(value(text, 'warnflow_activity_failures', { activityType: 'refuse' })).toBe(1);
  });
});
