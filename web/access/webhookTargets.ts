/**
 * Where a chat-robot webhook may point: the workflow POSTs to it from the worker, inside the
 * deployment's network, so a URL at a loopback, private, link-local or shared address (the cloud
 * metadata service at 169.254.169.254, the database, Temporal's gRPC) would let an administrator's
 * form reach what no one outside should. Refused unless WARNFLOW_ALLOW_PRIVATE_WEBHOOKS=1 (a robot
 * gateway on the agency's own network). Names are resolved: every address must be public.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { HttpError } from '../errors';

function v4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return v4Private(ip);
  const x = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
  if (mapped) return v4Private(mapped[1]);
  return x === '::' || x === '::1' || /^f[cd]/.test(x) || /^fe[89ab]/.test(x) || /^ff/.test(x);
}

/** 400 naming `webhookUrl` when the URL's host is (or resolves to) a non-public address, unless allowed. */
export async function checkWebhookTarget(url: string | undefined, allowPrivate = false): Promise<void> {
  if (!url || allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new HttpError(400, `webhookUrl: the host ${host} does not resolve`, 'webhookUrl');
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside)
    throw new HttpError(
      400,
      `webhookUrl: ${host} is a loopback or private address (${inside}); robots must be reached on the public network (WARNFLOW_ALLOW_PRIVATE_WEBHOOKS=1 allows it)`,
      'webhookUrl',
    );
}
