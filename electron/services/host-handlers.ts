/** Handlers for SSH host-key trust, stored passwords and SSH config import. */
import type { hostMethods } from '../../shared/contract/hosts';
import type { HandlersFor } from './handler-types';
import { listHostKeyPins } from '../db/repositories/host-keys';
import { sshRuntimeFor } from '../ssh/registry';
import { LifeboatError } from '../../shared/errors';
import { clearServerPassword, setServerPassword } from '../ssh/passwords';
import { localSshContext, parseSshConfig } from '../ssh/ssh-config';
import { forgetServerKeys, scanServerKey, trustServerKey } from '../ssh/trust';

/** One service function per hosts.* method. */
export const hostHandlers: HandlersFor<keyof typeof hostMethods> = {
  'hosts.scanKey': (ctx, { serverId }) => scanServerKey(ctx.db, sshRuntimeFor(ctx.db).pool, serverId),
  'hosts.trust': (ctx, { serverId, keyType, fingerprint }) =>
    trustServerKey(ctx.db, sshRuntimeFor(ctx.db).pool, serverId, { keyType, fingerprint }),
  'hosts.pins': (ctx) => listHostKeyPins(ctx.db),
  'hosts.forget': (ctx, { serverId }) => forgetServerKeys(ctx.db, sshRuntimeFor(ctx.db).pool, serverId),
  'hosts.setPassword': (ctx, { serverId, password }) =>
    setServerPassword(ctx.db, sshRuntimeFor(ctx.db), serverId, password),
  'hosts.clearPassword': (ctx, { serverId }) => clearServerPassword(ctx.db, sshRuntimeFor(ctx.db), serverId),
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
