/** Handlers for SSH host-key trust, stored passwords and SSH config import. */
import type { hostMethods } from '../../shared/contract/hosts';
import type { HandlersFor } from './handler-types';
import { listHostKeyPins } from '../db/repositories/host-keys';
import { LifeboatError } from '../../shared/errors';
import { localSshContext, parseSshConfig } from '../ssh/ssh-config';

/** One service function per hosts.* method. */
export const hostHandlers: HandlersFor<keyof typeof hostMethods> = {
  'hosts.scanKey': (ctx, { serverId }) => ctx.ssh.scanKey(serverId),
  'hosts.trust': (ctx, { serverId, keyType, fingerprint }) => ctx.ssh.trustKey(serverId, { keyType, fingerprint }),
  'hosts.pins': (ctx) => listHostKeyPins(ctx.db),
  'hosts.forget': (ctx, { serverId }) => ctx.ssh.forgetKeys(serverId),
  'hosts.setPassword': (ctx, { serverId, password }) => ctx.ssh.setPassword(serverId, password),
  'hosts.clearPassword': (ctx, { serverId }) => ctx.ssh.clearPassword(serverId),
  'hosts.pendingPassphrases': (ctx) => ctx.prompts?.pending() ?? [],
  'hosts.answerPassphrase': (ctx, { requestId, passphrase }) => {
    const { prompts } = ctx;
    if (!prompts)
      throw new LifeboatError(
        'unavailable',
        'no passphrase question can be waiting here: this process asks none (only the window and `lifeboat serve` do)',
      );
    return { requestId, answered: prompts.answer(requestId, passphrase) };
  },
  'hosts.importSshConfig': (_ctx, { text }) => parseSshConfig(text, localSshContext()),
};
