/**
 * The MQTT broker's own authentication, kept by warnflow: mosquitto's password file and ACL file, written
 * from the active data-interface keys (each key is a broker user named by its keyId, allowed to publish only to
 * its enterprise's readings topic and to read its replies), then the broker is told to read them again (SIGHUP:
 * mosquitto reloads both files and drops clients whose user is gone, so a revocation is effective at once).
 * The keys are stored as hashes, so each key's broker hash (`$7$`, mosquitto_passwd's PBKDF2-SHA512) is made
 * when the key is issued, while the plain key is known (web/access/dataKeys.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Topic layout: gateways publish `warnflow/<enterpriseId>/readings`; warnflow answers on `…/replies`. */
export const mqttTopics = {
  readings: (enterpriseId: string) => `warnflow/${enterpriseId}/readings`,
  replies: (enterpriseId: string) => `warnflow/${enterpriseId}/replies`,
  /** The ingester's subscription. */
  allReadings: 'warnflow/+/readings',
  /** The enterprise of a readings topic, or undefined for any other topic. */
  enterpriseOf(topic: string): string | undefined {
    const m = /^warnflow\/([^/+#]+)\/readings$/.exec(topic);
    return m?.[1];
  },
} as const;

/** mosquitto_passwd's `$7$` format: PBKDF2-SHA512, 101 iterations, 12-byte salt, base64 salt and hash. */
export function mosquittoPasswordHash(password: string, salt = crypto.randomBytes(12), iterations = 101): string {
  const hash = crypto.pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export interface BrokerUser {
  username: string;
  passwordHash: string;
  /** Topic rules, as mosquitto's ACL file writes them: `read …`, `write …`, `readwrite …`. */
  topics: string[];
}

/** The ingester's user: reads every enterprise's readings, writes every reply. */
export function ingesterUser(username: string, password: string): BrokerUser {
  return {
    username,
    passwordHash: mosquittoPasswordHash(password),
    topics: [`read ${mqttTopics.allReadings}`, 'write warnflow/+/replies'],
  };
}

/** One data-interface key as a broker user. */
export function dataKeyUser(keyId: string, enterpriseId: string, passwordHash: string): BrokerUser {
  return {
    username: keyId,
    passwordHash,
    topics: [`write ${mqttTopics.readings(enterpriseId)}`, `read ${mqttTopics.replies(enterpriseId)}`],
  };
}

function writeAtomically(file: string, body: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The files in a broker's auth folder (the embedded broker's config names them). */
export function brokerAuthFiles(dir: string) {
  return {
    passwords: path.join(dir, 'passwd'),
    acl: path.join(dir, 'acl'),
    pid: path.join(dir, 'mosquitto.pid'),
  };
}

/**
 * Writes the password and ACL files for these users and signals the broker whose pid file is in the folder.
 * Returns whether a broker was signalled.
 */
export function writeBrokerAuth(dir: string, users: BrokerUser[]): boolean {
  const files = brokerAuthFiles(dir);
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(files.passwords, users.map((u) => `${u.username}:${u.passwordHash}\n`).join(''));
  writeAtomically(
    files.acl,
    users.map((u) => [`user ${u.username}`, ...u.topics.map((t) => `topic ${t}`), ''].join('\n')).join('\n'),
  );
  let pid: number;
  try {
    pid = Number(fs.readFileSync(files.pid, 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 'SIGHUP');
    return true;
  } catch {
    return false;
  }
}
