/**
 * MQTT ingestion beside `POST /api/v1/readings`: gateways publish a batch (the same JSON body) to
 * `warnflow/<enterpriseId>/readings` with QoS 1; the broker has authenticated them with a data key and lets
 * each key publish only to its enterprise's topic (lib/brokerAuth.ts), so the topic names the enterprise.
 * Each batch goes through the readings interface's one service function (validation, storage, duplicates,
 * alarms), and the broker's message is acknowledged only once that answered: while the store is unavailable
 * nothing is acknowledged, the ingester disconnects and comes back later, and the broker delivers the batch
 * again (its session is kept: clean = false). Every batch's answer is published on
 * `warnflow/<enterpriseId>/replies` (counts and each item not accepted, as the HTTP answer gives them).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { type BrokerUser, ingesterUser, mqttTopics, writeBrokerAuth } from '../../lib/brokerAuth';
import type { Logger } from '../../lib/log';
import { HttpError } from '../errors';
import type { IngestResult, ReadingService } from './readings';

/** What a gateway reads on its replies topic. */
export interface MqttReply {
  /** The batch's `batchId` when it carried one (a gateway's own correlation). */
  batchId?: string;
  accepted: number;
  duplicates: number;
  refused: number;
  /** The items not accepted: index, status, field, error. */
  results: IngestResult['results'];
  /** A batch refused as a whole (not JSON, no readings array, too large): the message naming the field. */
  error?: string;
  field?: string;
}

export interface MqttIngesterOptions {
  /** MQTT_URL: the broker, with the ingester's user and password. */
  url: string;
  clientId: string;
  readings: Pick<ReadingService, 'ingestReadings'>;
  log: Logger;
  /** Wait before connecting again after a disconnect (also the backpressure pause). */
  reconnectMs?: number;
}

export interface MqttIngester {
  /** Resolves once connected and subscribed the first time. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startMqttIngester(opts: MqttIngesterOptions): MqttIngester {
  const reconnectMs = opts.reconnectMs ?? 2000;
  let pausedUntil = 0;
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: opts.clientId,
    // MQTT 5: MQTT.js honours customHandleAcks only on v5; the session (subscription and unacknowledged
    // messages) outlives a disconnect by a week, so a web restart or a broker restart loses nothing.
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 86_400 },
    reconnectPeriod: reconnectMs,
    // Acknowledge a QoS 1 message only after its batch was stored (MQTT.js sends PUBACK when this calls back).
    customHandleAcks: (topic, message, _packet, done) => {
      void handle(topic, message).then((ack) => {
        if (ack) done(0);
        else {
          // Backpressure: no acknowledgement; drop the connection so the broker keeps the message for later.
          pausedUntil = Date.now() + reconnectMs;
          client.stream?.destroy();
        }
      });
    },
  });
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  client.on('connect', (connack) => {
    if (connack.sessionPresent) {
      ready();
      return;
    }
    client.subscribe(mqttTopics.allReadings, { qos: 1 }, (err) => {
      if (err) opts.log.error('mqtt subscribe failed', { err });
      else ready();
    });
  });
  client.on('error', (err) => opts.log.warn('mqtt ingester', { err: err.message }));

  /** True when the message may be acknowledged: answered (accepted, duplicate or refused), not "try later". */
  async function handle(topic: string, message: Buffer): Promise<boolean> {
    const enterpriseId = mqttTopics.enterpriseOf(topic);
    if (!enterpriseId) return true;
    if (Date.now() < pausedUntil) return false;
    let body: unknown;
    let reply: MqttReply;
    try {
      body = JSON.parse(message.toString('utf8'));
    } catch {
      return publishReply(enterpriseId, {
        accepted: 0,
        duplicates: 0,
        refused: 0,
        results: [],
        error: 'readings: the message is not JSON; send {"readings": [...]} or an array of readings',
        field: 'readings',
      });
    }
    const batchId =
      typeof (body as { batchId?: unknown } | null)?.batchId === 'string'
        ? (body as { batchId: string }).batchId
        : undefined;
    try {
      const r = await opts.readings.ingestReadings({ enterpriseId }, body);
      reply = { batchId, ...r, results: r.results.filter((x) => x.status !== 'accepted') };
    } catch (err) {
      // 503 (store or case service unavailable) and 429 (too many in flight): acknowledge nothing, come back later.
      if (err instanceof HttpError && (err.status === 503 || err.status === 429)) return false;
      if (err instanceof HttpError && err.status < 500) {
        reply = { batchId, accepted: 0, duplicates: 0, refused: 0, results: [], error: err.message, field: err.field };
      } else {
        opts.log.error('mqtt batch failed', { err, enterpriseId });
        return false;
      }
    }
    return publishReply(enterpriseId, reply);
  }

  function publishReply(enterpriseId: string, reply: MqttReply): boolean {
    // Not awaited: the broker's PUBACK of the reply is read only after this message's handler returned.
    // The batch is answered; a reply that cannot be published is logged, not a reason to store it again.
    client.publish(mqttTopics.replies(enterpriseId), JSON.stringify(reply), { qos: 1 }, (err) => {
      if (err) opts.log.warn('mqtt reply not published', { err: err.message, enterpriseId });
    });
    return true;
  }

  return {
    ready: readyPromise,
    async stop() {
      await client.endAsync(true);
    },
  };
}

/**
 * Keeps the broker's users in step with the data keys: writes the password and ACL files of its auth folder
 * (WARNFLOW_MQTT_AUTH_DIR) from the active keys plus the ingester, and signals the broker to reload them.
 */
export function createBrokerAuthSync(deps: {
  dir: string;
  /** MQTT_URL: its user and password are the ingester's. */
  ingesterUrl: string;
  users: () => Promise<BrokerUser[]>;
}): () => Promise<void> {
  const u = new URL(deps.ingesterUrl);
  const ingester = ingesterUser(decodeURIComponent(u.username), decodeURIComponent(u.password));
  let queue = Promise.resolve();
  return () => {
    // One rewrite at a time, each from the keys as they are when it runs.
    queue = queue
      .catch(() => undefined)
      .then(async () => {
        writeBrokerAuth(deps.dir, [ingester, ...(await deps.users())]);
      });
    return queue;
  };
}
