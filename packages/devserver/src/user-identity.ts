/** Who an event happened to, reduced to one key so that issues can count distinct affected users. */
import { asObject, asText } from './payload-values';

export interface UserIdentity {
  /** `id:…`, else `email:…`, `username:…` or `ip:…`: the first one the SDK sent. */
  key: string;
  id?: string;
  email?: string;
  username?: string;
  ipAddress?: string;
}

/** `{{auto}}` asks the ingest to use the sender's address, as Relay does. */
export function userIdentity(user: unknown, remoteAddress: string | undefined): UserIdentity | undefined {
  const fields = asObject(user);
  if (!fields) return undefined;
  const rawIp = asText(fields.ip_address);
  const identity = {
    id: asText(fields.id),
    email: asText(fields.email),
    username: asText(fields.username),
    ipAddress: rawIp === '{{auto}}' ? remoteAddress : rawIp,
  };
  const key =
    (identity.id && `id:${identity.id}`) ??
    (identity.email && `email:${identity.email}`) ??
    (identity.username && `username:${identity.username}`) ??
    (identity.ipAddress && `ip:${identity.ipAddress}`);
  return key ? { key, ...identity } : undefined;
}
