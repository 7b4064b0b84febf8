/**
 * Storing and clearing a server's SSH password through the runtime's SecretStore. The password
 * goes one way, from the operator into the store; nothing here returns or logs it.
 */
import type { Server } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { getServer } from '../db/repositories/servers';
import type { SecretStore } from './credentials';
import { passwordAccount } from './endpoint';

/** The answer to a password change: which account, and whether a password is stored now. */
export interface PasswordReceipt {
  serverId: number;
  account: string;
  stored: boolean;
}

function serverOf(db: Db, serverId: number): Server {
  const server = getServer(db, serverId);
  if (!server)
    throw new LifeboatError('not_found', `there is no server ${serverId}`, [
      { path: ['serverId'], message: `there is no server ${serverId}` },
    ]);
  return server;
}

const accountName = (server: Server) => `${server.ssh.user}@${server.ssh.host}:${server.ssh.port}`;

/** Keep the password a server logs in with (the server must use password login). */
export async function setServerPassword(
  db: Db,
  secrets: SecretStore,
  serverId: number,
  password: string,
): Promise<PasswordReceipt> {
  const server = serverOf(db, serverId);
  if (server.ssh.auth.kind !== 'password') {
    const how = server.ssh.auth.kind === 'key' ? 'a key file' : 'the SSH agent';
    throw new LifeboatError(
      'invalid_input',
      `${server.name} logs in with ${how}, not a password: choose password login on its page first`,
      [{ path: ['serverId'], message: `${server.name} does not log in with a password` }],
    );
  }
  if (!secrets.isSecure()) {
    throw new LifeboatError(
      'unavailable',
      `the password for ${server.name} was not stored: ${secrets.refusal?.() || 'no secure keyring is available'}`,
    );
  }
  await secrets.setPassword(passwordAccount(server.ssh), password);
  return { serverId, account: accountName(server), stored: true };
}

/** Forget a server's stored password (whether or not it still logs in with one). */
export async function clearServerPassword(db: Db, secrets: SecretStore, serverId: number): Promise<PasswordReceipt> {
  const server = serverOf(db, serverId);
  await secrets.deletePassword(passwordAccount(server.ssh));
  return { serverId, account: accountName(server), stored: false };
}
