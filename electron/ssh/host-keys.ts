/**
 * Host-key trust, OpenSSH style: keys are pinned per host, port and key type; an unknown key is
 * refused and shown for confirmation; a different key is refused before any credential is sent.
 */
import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { HostKeyChanged, HostKeyUnknown, type SshError } from './errors';

/** The key a host presented during key exchange. */
export interface PresentedHostKey {
  /** The key's own type, as in known_hosts: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa. */
  keyType: string;
  /** `SHA256:` and the unpadded base64 digest of the key blob, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The key blob, base64. */
  publicKey: string;
}

/** A pinned key, as far as verification needs it. */
export interface PinnedHostKey {
  keyType: string;
  fingerprint: string;
}

/** Where pins are read from at each handshake (the workspace, or memory in tests). */
export interface HostKeyPins {
  pinsFor(host: string, port: number): readonly PinnedHostKey[];
}

/** First contact, the pinned key, or a different key than the pinned one. */
export type HostKeyStatus = 'new' | 'match' | 'changed';

/** OpenSSH's fingerprint of a key blob. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Read the type name at the start of an SSH public key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new TypeError('host key blob is too short');
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) throw new TypeError('host key blob is malformed');
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Describe a key blob the way the operator will be shown it. */
export function presentedKey(blob: Buffer): PresentedHostKey {
  return { keyType: keyTypeOf(blob), fingerprint: sha256Fingerprint(blob), publicKey: blob.toString('base64') };
}

/**
 * Compare what a host presented with the pins for its host and port. A pin of another type counts
 * as a change: connections prefer pinned types, so a host that stops offering its pinned type
 * has changed (or is not the host we pinned).
 */
export function classifyHostKey(
  presented: Pick<PresentedHostKey, 'keyType' | 'fingerprint'>,
  pins: readonly PinnedHostKey[],
): { status: HostKeyStatus; pinned: PinnedHostKey | null } {
  if (pins.length === 0) return { status: 'new', pinned: null };
  const sameType = pins.find((p) => p.keyType === presented.keyType);
  if (sameType)
    return { status: sameType.fingerprint === presented.fingerprint ? 'match' : 'changed', pinned: sameType };
  return { status: 'changed', pinned: pins[0] };
}

/** The signature algorithms that use a key of a given type. */
function algorithmsForKeyType(keyType: string): ServerHostKeyAlgorithm[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType as ServerHostKeyAlgorithm];
}

/** ssh2's default host-key algorithms, best first (ssh-dss is left out on purpose). */
export const DEFAULT_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** The algorithms to offer: those of pinned key types first, so the pinned type is negotiated. */
export function hostKeyAlgorithms(pins: readonly PinnedHostKey[]): ServerHostKeyAlgorithm[] {
  const preferred = pins
    .flatMap((p) => algorithmsForKeyType(p.keyType))
    .filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** A verifier for one handshake, remembering what it saw and why it refused. */
export interface HostVerification {
  /** Pass as ssh2's `hostVerifier`. Runs before NEWKEYS, so before any authentication. */
  verify(blob: Buffer): boolean;
  presented: PresentedHostKey | null;
  rejection: SshError | null;
}

/** Verify strictly against the pins: accept only a pinned key of the presented type. */
export function createHostVerification(host: string, port: number, pins: HostKeyPins): HostVerification {
  const state: HostVerification = {
    presented: null,
    rejection: null,
    verify(blob) {
      let key: PresentedHostKey;
      try {
        key = presentedKey(blob);
      } catch {
        return false;
      }
      // A re-key presents the key again: it must be the same one.
      if (state.presented && state.presented.fingerprint !== key.fingerprint) {
        state.rejection = new HostKeyChanged(
          host,
          port,
          key.keyType,
          state.presented.fingerprint,
          key.fingerprint,
          state.presented.keyType,
        );
        return false;
      }
      state.presented = key;
      const { status, pinned } = classifyHostKey(key, pins.pinsFor(host, port));
      if (status === 'match') return true;
      state.rejection =
        status === 'new' || !pinned
          ? new HostKeyUnknown(host, port, key.keyType, key.fingerprint)
          : new HostKeyChanged(host, port, key.keyType, pinned.fingerprint, key.fingerprint, pinned.keyType);
      return false;
    },
  };
  return state;
}

/** Pins kept in memory: for tests and for a scan before a workspace exists. */
export class MemoryHostKeyPins implements HostKeyPins {
  private readonly pins = new Map<string, PinnedHostKey[]>();

  pinsFor(host: string, port: number): readonly PinnedHostKey[] {
    return this.pins.get(`${host}:${port}`) ?? [];
  }

  /** Pin a key (replacing a pin of the same type). */
  pin(host: string, port: number, key: PinnedHostKey): void {
    const others = this.pinsFor(host, port).filter((p) => p.keyType !== key.keyType);
    this.pins.set(`${host}:${port}`, [...others, { keyType: key.keyType, fingerprint: key.fingerprint }]);
  }

  /** Forget every pin of a host and port. */
  forget(host: string, port: number): void {
    this.pins.delete(`${host}:${port}`);
  }
}
