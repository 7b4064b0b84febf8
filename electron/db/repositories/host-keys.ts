/** Pinned SSH host keys: one row per host, port and key type. */
import type { Db } from '../connection';
import type { HostKeyPin } from '../../../shared/contract/hosts';

type PinRow = {
  host: string;
  port: number;
  key_type: string;
  fingerprint_sha256: string;
  public_key: string;
  pinned_at: string;
  pinned_by: string;
};

const COLUMNS = 'host, port, key_type, fingerprint_sha256, public_key, pinned_at, pinned_by';

function toPin(row: PinRow): HostKeyPin {
  return {
    host: row.host,
    port: row.port,
    keyType: row.key_type,
    fingerprint: row.fingerprint_sha256,
    publicKey: row.public_key,
    pinnedAt: row.pinned_at,
    pinnedBy: row.pinned_by,
  };
}

/** Every pin, by host, port and key type. */
export function listHostKeyPins(db: Db): HostKeyPin[] {
  return db.prepare<[], PinRow>(`SELECT ${COLUMNS} FROM host_key_pins ORDER BY host, port, key_type`).all().map(toPin);
}

/** The pins of one host and port (read at every handshake). */
export function hostKeyPinsFor(db: Db, host: string, port: number): HostKeyPin[] {
  return db
    .prepare<[string, number], PinRow>(`SELECT ${COLUMNS} FROM host_key_pins WHERE host = ? AND port = ? ORDER BY id`)
    .all(host, port)
    .map(toPin);
}

/** Add a pin. A pin of the same host, port and type must be forgotten first (UNIQUE refuses it). */
export function insertHostKeyPin(db: Db, pin: HostKeyPin): HostKeyPin {
  db.prepare(
    `INSERT INTO host_key_pins (${COLUMNS}) VALUES (@host, @port, @keyType, @fingerprint, @publicKey, @pinnedAt, @pinnedBy)`,
  ).run(pin);
  return pin;
}

/** Forget every pin of a host and port; returns how many there were. */
export function deleteHostKeyPins(db: Db, host: string, port: number): number {
  return db.prepare('DELETE FROM host_key_pins WHERE host = ? AND port = ?').run(host, port).changes;
}
