/** Users and tokens for the risk-warning tests, beside the monitoring world (regions, agencies, enterprises). */
import { hashPassword } from '../../lib/passwords';
import type { Models } from '../../models';
import type { UserRole } from '../../domain/masterData';

/** A user of the given role (agency or enterprise attached) and its bearer token through the real token endpoint. */
export async function userToken(
  models: Models,
  baseUrl: string,
  username: string,
  role: UserRole,
  attach: { agencyId?: string; enterpriseId?: string } = {},
): Promise<string> {
  const password = 'pw-warn-123456';
  await models.User.create({
    _id: username,
    displayName: username,
    role,
    ...attach,
    passwordHash: await hashPassword(password),
    active: true,
    createdAt: new Date(),
  });
  return tokenFor(baseUrl, username, password);
}

/** A bearer token through the real token endpoint. */
export async function tokenFor(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 201) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A JSON call with a bearer token: status and parsed body. */
export async function call(
  baseUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
