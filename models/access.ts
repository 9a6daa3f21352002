/** Who may do what: users, API bearer tokens, per-enterprise data-interface keys. Secrets stored hashed only. */
import { Schema } from 'mongoose';
import { modelOn } from './bind';
import { USER_ROLES, UserRole } from '../domain/masterData';

export interface UserDoc {
  _id: string; // username
  displayName: string;
  email?: string;
  role: UserRole;
  agencyId?: string; // regulator
  enterpriseId?: string; // enterprise user
  passwordHash: string;
  active: boolean;
  createdAt: Date;
  passwordChangedAt?: Date;
}
export const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, required: true },
    email: String,
    role: { type: String, enum: USER_ROLES, required: true },
    agencyId: String,
    enterpriseId: String,
    passwordHash: { type: String, required: true },
    active: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
    passwordChangedAt: Date,
  },
  { collection: 'users', versionKey: false },
);
// Colleagues of an agency (assign a task), users of an enterprise (portal mails).
userSchema.index({ agencyId: 1 });
userSchema.index({ enterpriseId: 1 });

export interface ApiTokenDoc {
  _id: string; // sha256 of the bearer token
  username: string;
  expiresAt: Date;
  createdAt: Date;
}
export const apiTokenSchema = new Schema<ApiTokenDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'api_tokens', versionKey: false },
);
// Expired tokens disappear by themselves on real MongoDB (the embedded server ignores TTL; expiry is also checked on use).
apiTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface DataKeyDoc {
  _id: string; // public key id, the part before the secret: "wfk_<id>"
  enterpriseId: string;
  secretHash: string; // sha256 of the whole key
  /** The key as the MQTT broker's password hash (mosquitto `$7$`, lib/brokerAuth.ts), made at issue; older keys have none. */
  brokerPasswordHash?: string;
  label?: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
  lastUsedAt?: Date;
}
export const dataKeySchema = new Schema<DataKeyDoc>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    secretHash: { type: String, required: true },
    brokerPasswordHash: String,
    label: String,
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    revokedAt: Date,
    lastUsedAt: Date,
  },
  { collection: 'data_keys', versionKey: false },
);
// An enterprise's keys (rotation page).
dataKeySchema.index({ enterpriseId: 1 });

export const userModel = modelOn('User', userSchema);
export const apiTokenModel = modelOn('ApiToken', apiTokenSchema);
export const dataKeyModel = modelOn('DataKey', dataKeySchema);
