/**
 * The one login limiter of the page login and the API token: counts in MongoDB (`login_limits`,
 * rate-limiter-flexible), so every web process shares them and a restart forgets nothing. Three
 * counts, each taken BEFORE the password is checked (an atomic increment: concurrent guesses cannot
 * all pass before a failure is written), given back on success:
 * - one account from one address: 5 per 15 min (then 429 for 15 min, even with the right password);
 * - one address, any accounts: 20 per 15 min (guesses spread over usernames);
 * - one account, any addresses: 20 per hour (guesses spread over addresses).
 * The address is req.ip: proxy headers count only from the configured trusted proxies (web/app.ts).
 * Failures are audited under the account's real id, or `anonymous` for a name that is no user, so an
 * attacker cannot write actor names into the audit trail.
 */
import type { Connection } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import type { Models } from '../../models';
import type { UserDoc } from '../../models/access';
import { HttpError } from '../errors';
import type { AuditService } from './audit';
import type { AuthService } from './auth';

export const LOGIN_LIMITS = {
  accountFromAddress: { points: 5, seconds: 15 * 60 },
  address: { points: 20, seconds: 15 * 60 },
  account: { points: 20, seconds: 60 * 60 },
} as const;
export const LOGIN_LIMITS_COLLECTION = 'login_limits';

export function createLoginGuard(deps: {
  db: Connection;
  models: Pick<Models, 'User'>;
  auth: AuthService;
  audit: AuditService;
}) {
  const { db, models, auth, audit } = deps;
  const limiter = (keyPrefix: string, l: { points: number; seconds: number }) =>
    new RateLimiterMongo({
      storeClient: db.getClient(),
      dbName: db.name,
      tableName: LOGIN_LIMITS_COLLECTION,
      keyPrefix,
      points: l.points,
      duration: l.seconds,
      blockDuration: l.seconds,
    });
  const accountFromAddress = limiter('account-address', LOGIN_LIMITS.accountFromAddress);
  const address = limiter('address', LOGIN_LIMITS.address);
  const account = limiter('account', LOGIN_LIMITS.account);

  /** The audit actor for a typed username: the user's id when there is one, else `anonymous`. */
  async function actorOf(username: string): Promise<string> {
    const user = await models.User.findById(username, { _id: 1 }).lean();
    return user?._id ?? 'anonymous';
  }

  return {
    /** Deletes expired counts (the embedded store does not expire TTL indexes); how many. */
    async sweepExpired(): Promise<number> {
      return (
        (await db.collection(LOGIN_LIMITS_COLLECTION).deleteMany({ expire: { $lt: new Date() } })).deletedCount ?? 0
      );
    },
    /**
     * The user for these credentials, under the limits; 429 with Retry-After when a limit is reached,
     * 401 when the credentials are wrong. `channel` says which door (page or api) in the audit trail.
     */
    async verify(username: string, password: string, ip: string, channel: 'page' | 'api'): Promise<UserDoc> {
      const name = username.trim().toLowerCase().slice(0, 100);
      const counts: [RateLimiterMongo, string][] = [
        [accountFromAddress, `${name}|${ip}`],
        [address, ip],
        [account, name],
      ];
      const taken = await Promise.allSettled(counts.map(([l, k]) => l.consume(k)));
      const refused = taken
        .filter((t): t is PromiseRejectedResult => t.status === 'rejected')
        .map((t) => t.reason as unknown);
      const failure = refused.find((r) => !(r instanceof RateLimiterRes));
      if (failure) throw failure instanceof Error ? failure : new Error('the login limiter store failed'); // the store failed: refuse rather than let guesses through
      if (refused.length) {
        const waitMs = Math.max(...refused.map((r) => (r as RateLimiterRes).msBeforeNext));
        const actor = await actorOf(username);
        await audit.record(actor, 'login.locked_out', actor === 'anonymous' ? undefined : actor, { channel }, ip);
        throw new HttpError(
          429,
          `too many failed logins: try again in ${Math.ceil(waitMs / 60000)} minutes`,
          'username',
          { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
        );
      }
      const user = await auth.verifyCredentials(username, password);
      if (!user) {
        const actor = await actorOf(username);
        await audit.record(actor, 'login.failed', actor === 'anonymous' ? undefined : actor, { channel }, ip);
        throw new HttpError(401, 'username or password is wrong', 'password');
      }
      // Success gives back what this attempt took and clears the account's failures.
      await Promise.all([accountFromAddress.delete(counts[0][1]), account.delete(name), address.reward(ip, 1)]);
      return user;
    },
  };
}
export type LoginGuard = ReturnType<typeof createLoginGuard>;
