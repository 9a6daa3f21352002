/**
 * What Prometheus reads from the web app (GET /metrics): request latency by route pattern, the readings
 * interface's items by outcome, and, read from the projections when scraped, open cases by type and level,
 * overdue tasks, failed deliveries and the embedded store's size.
 *
 * The projection figures are one aggregation per collection, kept for `snapshotTtlMs` (30 s): scrapes from
 * several Prometheus servers, or a dashboard refreshing, do not each scan (the embedded MongoDB has no
 * secondary indexes; on a real MongoDB the filters start with an indexed field).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CASE_TYPES } from '../../domain/cases';
import type { Models } from '../../models';
import { embeddedStoreCapacityOf, type StoreCapacity } from '../health/service';
import type { IngestResult } from '../monitoring/readings';

export interface MetricsDeps {
  models: Models;
  db: Connection;
  /** How long the projection figures are reused between scrapes. */
  snapshotTtlMs?: number;
}

interface Snapshot {
  openCases: { type: string; level: string; n: number }[];
  overdueTasks: { caseType: string; n: number }[];
  failedDeliveries: { channel: string; final: boolean; n: number }[];
  store?: StoreCapacity;
}

/** The route pattern a request was answered by (`/cases/:id`, never the raw URL), or `(none)` when no route matched. */
export function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (path === undefined) return '(none)';
  const text = (p: unknown): string =>
    Array.isArray(p) ? p.map(text).join('|') : p instanceof RegExp ? p.source : String(p);
  return `${req.baseUrl}${text(path)}` || '/';
}

export function createMetricsService(deps: MetricsDeps) {
  const { models } = deps;
  const ttl = deps.snapshotTtlMs ?? 30_000;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warnflow_web_' });

  const httpDuration = new Histogram({
    name: 'warnflow_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const readings = new Counter({
    name: 'warnflow_readings_total',
    help: 'Items of the monitoring-data interface answered, by kind (reading, video_status) and outcome (accepted, duplicate, refused)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  let cached: { at: number; snapshot: Promise<Snapshot> } | undefined;
  function snapshot(): Promise<Snapshot> {
    if (!cached || Date.now() - cached.at > ttl) {
      const snap = readSnapshot();
      cached = { at: Date.now(), snapshot: snap };
      // A failed read is not kept: the next scrape tries again.
      snap.catch(() => (cached = undefined));
    }
    return cached.snapshot;
  }

  async function readSnapshot(): Promise<Snapshot> {
    const now = new Date();
    const [openCases, overdueTasks, failedDeliveries, store] = await Promise.all([
      // Index {type, status, openedAt}: every type, open ones.
      models.CaseRecord.aggregate<{ _id: { type: string; level?: string }; n: number }>([
        { $match: { type: { $in: [...CASE_TYPES] }, status: 'open' } },
        { $group: { _id: { type: '$type', level: '$level' }, n: { $sum: 1 } } },
      ]),
      // Index {status, due}.
      models.Task.aggregate<{ _id: string; n: number }>([
        { $match: { status: 'open', due: { $lt: now } } },
        { $group: { _id: '$caseType', n: { $sum: 1 } } },
      ]),
      // Index {status, createdAt}.
      models.Delivery.aggregate<{ _id: { channel: string; permanent?: boolean }; n: number }>([
        { $match: { status: 'failed' } },
        { $group: { _id: { channel: '$channel', permanent: '$permanent' }, n: { $sum: 1 } } },
      ]),
      embeddedStoreCapacityOf(deps.db),
    ]);
    return {
      openCases: openCases.map((r) => ({ type: r._id.type, level: r._id.level ?? 'none', n: r.n })),
      overdueTasks: overdueTasks.map((r) => ({ caseType: r._id, n: r.n })),
      failedDeliveries: failedDeliveries.map((r) => ({ channel: r._id.channel, final: !!r._id.permanent, n: r.n })),
      store,
    };
  }

  /** A gauge set from the snapshot at each scrape; a series that is gone from the projection is gone here too. */
  const fromSnapshot = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, s: Snapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        fill(this, await snapshot());
      },
    });

  fromSnapshot('warnflow_open_cases', 'Open cases by type and level (case_records)', ['type', 'level'], (g, s) => {
    for (const r of s.openCases) g.set({ type: r.type, level: r.level }, r.n);
  });
  fromSnapshot('warnflow_overdue_tasks', 'Open tasks past their due time, by case type', ['case_type'], (g, s) => {
    for (const r of s.overdueTasks) g.set({ case_type: r.caseType }, r.n);
  });
  fromSnapshot(
    'warnflow_deliveries_failed',
    'Notifications whose delivery failed, by channel; final="true": refused for good, not retried',
    ['channel', 'final'],
    (g, s) => {
      for (const r of s.failedDeliveries) g.set({ channel: r.channel, final: String(r.final) }, r.n);
    },
  );
  // Labelled store="embedded" so that on a real MongoDB (no figures) the series are absent rather than 0.
  const embedded = { store: 'embedded' } as const;
  fromSnapshot(
    'warnflow_store_documents',
    'Documents in the embedded store (absent on a real MongoDB)',
    ['store'],
    (g, s) => {
      if (s.store) g.set(embedded, s.store.documents);
    },
  );
  fromSnapshot('warnflow_store_file_bytes', 'Size of the embedded store file (.data/mongo.mv)', ['store'], (g, s) => {
    if (s.store) g.set(embedded, s.store.fileBytes);
  });
  fromSnapshot(
    'warnflow_store_tested_documents',
    'The largest embedded store size tested here (config/storeCapacity.ts)',
    ['store'],
    (g, s) => {
      if (s.store) g.set(embedded, s.store.testedDocuments);
    },
  );

  return {
    contentType: registry.contentType,
    /** The exposition text of every series. */
    text: () => registry.metrics(),
    /** Express middleware: times each request and records it under its route pattern once answered. */
    timeRequests: (req: Request, res: Response, next: NextFunction): void => {
      const end = httpDuration.startTimer();
      res.on('finish', () => end({ method: req.method, route: routePattern(req), status: String(res.statusCode) }));
      next();
    },
    /** The readings interface's tally (web/monitoring/readings.ts). */
    tallyReadings: (kind: 'reading' | 'video_status', counts: Omit<IngestResult, 'results'>): void => {
      if (counts.accepted) readings.inc({ kind, outcome: 'accepted' }, counts.accepted);
      if (counts.duplicates) readings.inc({ kind, outcome: 'duplicate' }, counts.duplicates);
      if (counts.refused) readings.inc({ kind, outcome: 'refused' }, counts.refused);
    },
  };
}
export type MetricsService = ReturnType<typeof createMetricsService>;
