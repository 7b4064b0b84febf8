/** Contract entries for SSH host-key trust and importing hosts from an SSH config. */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id, ServerDraft } from '../domain';

/** Host-key types Lifeboat pins (ssh-dss is not accepted). */
export const HOST_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;
/** A host-key type as the input of `hosts.trust`. */
export const HostKeyType = z.enum(HOST_KEY_TYPES, { error: `a host key type: ${HOST_KEY_TYPES.join(', ')}` });

/** OpenSSH's SHA256 fingerprint: "SHA256:" and 43 characters of unpadded base64. */
export const Fingerprint = z
  .string()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'a fingerprint looks like SHA256: followed by 43 characters (as ssh-keygen -lf prints it)',
  );

/** How a scanned key compares with the pins: first contact, the pinned key, or a different key. */
export const HOST_KEY_STATUSES = ['new', 'match', 'changed'] as const;

/** A pinned host key. */
export const HostKeyPin = z.object({
  host: z.string(),
  port: z.int(),
  keyType: z.string(),
  fingerprint: z.string(),
  /** The key blob, base64. */
  publicKey: z.string(),
  pinnedAt: z.string(),
  pinnedBy: z.string(),
});
export type HostKeyPin = z.infer<typeof HostKeyPin>;

/** What a server presents now, beside what is pinned for it. */
export const HostKeyScan = z.object({
  host: z.string(),
  port: z.int(),
  keyType: z.string(),
  fingerprint: z.string(),
  /** The pinned fingerprint it is compared with (of the same type when there is one). */
  pinned: z.string().nullable(),
  status: z.enum(HOST_KEY_STATUSES),
});
export type HostKeyScan = z.infer<typeof HostKeyScan>;

/** One Host of an SSH config, as a server draft to review. */
export const SshConfigHost = z.object({
  alias: z.string(),
  line: z.int(),
  draft: ServerDraft.nullable(),
  /** The Host alias of its ProxyJump: save that server first and choose it as the jump server. */
  jumpAlias: z.string().nullable(),
  problems: z.array(z.string()),
});

/**
 * An SSH password as the operator types it: kept only encrypted (Electron safeStorage), never
 * returned by any method, never logged.
 */
export const SshPassword = z
  .string({ error: 'the password must be text' })
  .min(1, 'type the password (an empty one is not stored)')
  .max(1024, 'a password of 1024 characters at most')
  .refine((p) => !p.includes('\0'), 'a password cannot contain a NUL character');

/** What storing or clearing a password answers: the account, never the secret. */
export const PasswordReceipt = z.object({
  serverId: Id,
  /** user@host:port the password is for. */
  account: z.string(),
  stored: z.boolean(),
});

/** A question for the passphrase of an encrypted key file, waiting for the operator. */
export const PassphraseRequest = z.object({
  requestId: z.string(),
  keyPath: z.string(),
  /** 1 for the first ask; more after a wrong passphrase. */
  attempt: z.int(),
  /** When it counts as declined (ms since the epoch). */
  expiresAt: z.int(),
});
export type PassphraseRequest = z.infer<typeof PassphraseRequest>;

const RequestId = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'a passphrase request id as the event gave it',
  );

/** The hosts.* area of the contract. */
export const hostMethods = {
  'hosts.scanKey': method({
    input: z.object({ serverId: Id }).strict(),
    output: HostKeyScan,
    summary: 'Connect up to the key exchange (no login) and show the host key a server presents',
    mutates: false,
  }),
  'hosts.trust': method({
    input: z.object({ serverId: Id, keyType: HostKeyType, fingerprint: Fingerprint }).strict(),
    output: HostKeyPin,
    summary: 'Pin the host key a server presents; refused unless it is exactly the confirmed one',
    mutates: true,
  }),
  'hosts.pins': method({ input: Empty, output: z.array(HostKeyPin), summary: 'Every pinned host key', mutates: false }),
  'hosts.forget': method({
    input: z.object({ serverId: Id }).strict(),
    output: z.object({ serverId: Id, host: z.string(), port: z.int(), forgotten: z.int() }),
    summary: "Forget a server's pinned host keys (after a verified reinstall)",
    mutates: true,
  }),
  'hosts.setPassword': method({
    input: z.object({ serverId: Id, password: SshPassword }).strict(),
    output: PasswordReceipt,
    summary: "Keep a server's SSH password, encrypted by the desktop's keyring (refused where there is none)",
    mutates: true,
  }),
  'hosts.clearPassword': method({
    input: z.object({ serverId: Id }).strict(),
    output: PasswordReceipt,
    summary: "Forget a server's stored SSH password",
    mutates: true,
  }),
  'hosts.pendingPassphrases': method({
    input: Empty,
    output: z.array(PassphraseRequest),
    summary: 'The passphrase questions for encrypted key files still waiting for an answer',
    mutates: false,
  }),
  'hosts.answerPassphrase': method({
    input: z
      .object({
        requestId: RequestId,
        /** null declines: the key is not used until it is asked for again. */
        passphrase: z.string().max(1024, 'a passphrase of 1024 characters at most').nullable(),
      })
      .strict(),
    output: z.object({ requestId: z.string(), answered: z.boolean() }),
    summary: 'Answer (or decline) a question for the passphrase of an encrypted key file; kept in memory only',
    mutates: false,
  }),
  'hosts.importSshConfig': method({
    input: z.object({ text: z.string().max(1024 * 1024, 'an SSH config of 1 MiB at most') }).strict(),
    output: z.object({
      hosts: z.array(SshConfigHost),
      problems: z.array(z.object({ line: z.int(), message: z.string() })),
    }),
    summary: 'Read an SSH client config and propose server drafts (nothing is saved)',
    mutates: false,
  }),
} as const;

/** Events of the hosts.* area: passphrase questions opening and closing. */
export const hostEvents = {
  'hosts.passphraseRequested': PassphraseRequest,
  'hosts.passphraseSettled': z.object({ requestId: z.string() }),
} as const;
