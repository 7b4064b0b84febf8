/** Where and as whom to connect, including the hops in between. */
import type { z } from 'zod';
import type { SshAuth } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import type { Db } from '../db/connection';
import { getServer } from '../db/repositories/servers';

/** How to authenticate: a key file, the SSH agent, or a password from the secret store. */
export type EndpointAuth = z.output<typeof SshAuth>;

/** One SSH endpoint; `jump` is the host to hop through (ProxyJump), itself an endpoint. */
export interface Endpoint {
  host: string;
  port: number;
  user: string;
  auth: EndpointAuth;
  jump: Endpoint | null;
}

/** Hops allowed in a jump chain: enough for any sane network, short enough to stop a loop. */
export const MAX_JUMPS = 4;

/** The pool key: user@host:port, and the chain of hops it is reached through. */
export function endpointKey(endpoint: Endpoint): string {
  const own = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  return endpoint.jump ? `${own} via ${endpointKey(endpoint.jump)}` : own;
}

/** The account a password is stored under in the secret store. */
export function passwordAccount(endpoint: Pick<Endpoint, 'user' | 'host' | 'port'>): string {
  return `ssh:${endpoint.user}@${endpoint.host}:${endpoint.port}`;
}

/** Resolve a server of the inventory, and its jump servers, into an endpoint. */
export function endpointForServer(db: Db, serverId: number): Endpoint {
  const seen: number[] = [];
  const resolve = (id: number): Endpoint => {
    if (seen.includes(id))
      throw new LifeboatError('invalid_input', `the jump servers of server ${serverId} form a loop`);
    if (seen.length > MAX_JUMPS)
      throw new LifeboatError('invalid_input', `server ${serverId} needs more than ${MAX_JUMPS} jump hosts`);
    seen.push(id);
    const server = getServer(db, id);
    if (!server)
      throw new LifeboatError(
        'not_found',
        seen.length === 1 ? `server ${id} does not exist` : `jump server ${id} does not exist`,
      );
    const { host, port, user, auth, jumpServerId } = server.ssh;
    return { host, port, user, auth, jump: jumpServerId === null ? null : resolve(jumpServerId) };
  };
  return resolve(serverId);
}
