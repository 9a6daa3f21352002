/**
 * sessions: the server-side session store of the web pages. The cookie carries a random id; only
 * its SHA-256 is stored. Anonymous sessions (before login) exist to carry the login form's CSRF token.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface SessionDoc {
  _id: string; // sha256 of the cookie value
  username?: string; // absent before login
  csrf: string; // synchronizer token of this session
  createdAt: Date;
  expiresAt: Date;
}
export const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    username: String,
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);
// Logout everywhere / password change ends a user's other sessions.
sessionSchema.index({ username: 1 });
// Expired sessions disappear on real MongoDB (the embedded server ignores TTL; expiry is also checked on use).
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SessionModel = Model<SessionDoc>;
export const sessionModel: (conn: Connection) => SessionModel = modelOn('Session', sessionSchema);
