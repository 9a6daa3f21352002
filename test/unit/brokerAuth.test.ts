/** The broker's files as mosquitto reads them: mosquitto_passwd's `$7$` hash, and each key's user and topics. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataKeyUser, ingesterUser, mosquittoPasswordHash, mqttTopics, writeBrokerAuth } from '../../lib/brokerAuth';

it('hashes a password as mosquitto_passwd 2.0.11 does (PBKDF2-SHA512, 101 iterations, base64 salt and hash)', () => {
  // `mosquitto_passwd -b pw u secret` printed this line (its salt reused here).
  expect(mosquittoPasswordHash('secret', Buffer.from('foA6PCMKveWJ00nA', 'base64'))).toBe(
    '$7$101$foA6PCMKveWJ00nA$pyWqQNIJLaw6N8JPDU6+XwKZlIpTCYotJrsap9aWv5D39Zr31ofA61u5l1Ifq8JGKFDXm4VQmE6CyTJILtUGtA==',
  );
});

it('writes one user per key, allowed only its enterprise topics, and the ingester; no broker to signal without a pid file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-brokerauth-'));
  try {
    const signalled = writeBrokerAuth(dir, [
      { ...ingesterUser('warnflow-ingester', 'pw'), passwordHash: 'H0' },
      dataKeyUser('0123456789ab', 'ent-1', 'H1'),
    ]);
    expect(signalled).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'passwd'), 'utf8')).toBe('warnflow-ingester:H0\n0123456789ab:H1\n');
    expect(fs.readFileSync(path.join(dir, 'acl'), 'utf8')).toBe(
      [
        'user warnflow-ingester',
        'topic read warnflow/+/readings',
        'topic write warnflow/+/replies',
        '',
        'user 0123456789ab',
        'topic write warnflow/ent-1/readings',
        'topic read warnflow/ent-1/replies',
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('reads the enterprise from a readings topic only', () => {
  expect(mqttTopics.enterpriseOf('warnflow/ent-1/readings')).toBe('ent-1');
  expect(mqttTopics.enterpriseOf('warnflow/ent-1/replies')).toBeUndefined();
  expect(mqttTopics.enterpriseOf('warnflow/a/b/readings')).toBeUndefined();
});
