/**
 * Trust on first use, done explicitly: scan the key a server presents, show it, and pin it only
 * when the operator confirmed exactly that key. A changed key is never re-pinned here: the old
 * pin must be forgotten first, on purpose, after checking the host out of band.
 */
import os from 'node:os';
import type { HostKeyPin, HostKeyScan } from '../../shared/contract/hosts';
import { LifeboatError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { deleteHostKeyPins, hostKeyPinsFor, insertHostKeyPin } from '../db/repositories/host-keys';
import { endpointForServer, type Endpoint } from './endpoint';
import { classifyHostKey } from './host-keys';
import type { ConnectionPool } from './pool';

/** Compare a server's presented key with its pins. No login happens. */
export async function scanHostKeyOf(
  db: Db,
  pool: ConnectionPool,
  endpoint: Endpoint,
  signal?: AbortSignal,
): Promise<HostKeyScan> {
  const presented = await pool.scanHostKey(endpoint, { signal });
  const { status, pinned } = classifyHostKey(presented, hostKeyPinsFor(db, endpoint.host, endpoint.port));
  return {
    host: endpoint.host,
    port: endpoint.port,
    keyType: presented.keyType,
    fingerprint: presented.fingerprint,
    pinned: pinned?.fingerprint ?? null,
    status,
  };
}

/** Who pinned a key, for the record. */
function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Pin the key the server presents, provided it is the confirmed one (type and fingerprint). An
 * existing identical pin is returned as is; a different pinned key is refused.
 */
export async function trustHostKey(
  db: Db,
  pool: ConnectionPool,
  endpoint: Endpoint,
  confirmed: { keyType: string; fingerprint: string },
  signal?: AbortSignal,
): Promise<HostKeyPin> {
  const where = `${endpoint.host}:${endpoint.port}`;
  const presented = await pool.scanHostKey(endpoint, { signal });
  if (presented.keyType !== confirmed.keyType || presented.fingerprint !== confirmed.fingerprint) {
    throw new LifeboatError(
      'conflict',
      `${where} now presents the ${presented.keyType} key ${presented.fingerprint}, not the confirmed ${confirmed.keyType} ${confirmed.fingerprint}. Nothing was pinned.`,
    );
  }
  return db.transaction(() => {
    const pins = hostKeyPinsFor(db, endpoint.host, endpoint.port);
    const { status, pinned } = classifyHostKey(presented, pins);
    if (status === 'match') return pins.find((p) => p.keyType === presented.keyType) as HostKeyPin;
    if (status === 'changed') {
      throw new LifeboatError(
        'conflict',
        `${where} already has a different pinned key (${pinned?.keyType} ${pinned?.fingerprint}). ` +
          'If the host was really reinstalled, forget its pin first, then trust the new key.',
      );
    }
    return insertHostKeyPin(db, {
      host: endpoint.host,
      port: endpoint.port,
      keyType: presented.keyType,
      fingerprint: presented.fingerprint,
      publicKey: presented.publicKey,
      pinnedAt: new Date().toISOString(),
      pinnedBy: operatorName(),
    });
  })();
}

/** Scan the key of an inventory server. */
export function scanServerKey(db: Db, pool: ConnectionPool, serverId: number): Promise<HostKeyScan> {
  return scanHostKeyOf(db, pool, endpointForServer(db, serverId));
}

/** Pin the key of an inventory server, as confirmed by the operator. */
export function trustServerKey(
  db: Db,
  pool: ConnectionPool,
  serverId: number,
  confirmed: { keyType: string; fingerprint: string },
): Promise<HostKeyPin> {
  return trustHostKey(db, pool, endpointForServer(db, serverId), confirmed);
}

/** Forget the pins of an inventory server's host and port, and drop its pooled connection. */
export function forgetServerKeys(db: Db, pool: ConnectionPool, serverId: number) {
  const endpoint = endpointForServer(db, serverId);
  const forgotten = deleteHostKeyPins(db, endpoint.host, endpoint.port);
  pool.evict(endpoint);
  return { serverId, host: endpoint.host, port: endpoint.port, forgotten };
}
