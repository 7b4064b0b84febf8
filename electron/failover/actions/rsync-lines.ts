/**
 * The rsync command lines of a guarded sync: from the source to the receiver's own address (never
 * a VIP: copying to a VIP could land on the source itself), over SSH with strict host keys.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { isIpv6 } from '../../../shared/validation';
import { shellQuote, word } from '../../ssh/quote';
import { StepStop } from './kit';

type Params = ActionParams<'rsync.sync'>;

/**
 * Where the source reaches the receiver: the receiver's own address (its first listed one, else
 * its SSH host), never a VIP: copying to a VIP could land on the source itself.
 */
export function receiverAddress(receiver: Server, vips: readonly string[]): string {
  const host = receiver.addresses.find((address) => !vips.includes(address)) ?? receiver.ssh.host;
  if (vips.includes(host)) {
    throw new StepStop({
      status: 'refused',
      message: `${receiver.name} has no address of its own that is not a VIP (${host}): list its own address in the inventory; nothing was copied`,
    });
  }
  return host;
}

/** The remote-shell option: the receiver's SSH port, batch mode, a connect deadline, strict host keys, optional key files. */
function remoteShell(params: Params, receiver: Server): string {
  const key = params.identityFile ? ` -i ${params.identityFile}` : '';
  const known = params.knownHostsFile ? ` -o UserKnownHostsFile=${params.knownHostsFile}` : '';
  // identityFile/knownHostsFile are restricted to [A-Za-z0-9_./-] by the schema: safe inside the quotes.
  for (const path of [params.identityFile, params.knownHostsFile])
    if (path && !/^\/[A-Za-z0-9_./-]+$/.test(path)) throw new Error('unsafe path for rsync -e');
  const port = receiver.ssh.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('unsafe port for rsync -e');
  return `-e 'ssh -p ${port} -o BatchMode=yes -o ConnectTimeout=10 -o StrictHostKeyChecking=yes${key}${known}'`;
}

export function rsyncLines(params: Params, receiver: Server, vips: readonly string[], extra: string): string[] {
  const host = receiverAddress(receiver, vips);
  const excludes = params.excludes.map((e) => `--exclude=${shellQuote(e)}`).join(' ');
  return params.paths.map((path) => {
    const dir = path.endsWith('/') ? path : `${path}/`;
    const destination = `${word.user(params.sshUser).quoted}@${isIpv6(host) ? `[${word.host(host).quoted}]` : word.host(host).quoted}:${word.path(dir).quoted}`;
    return `rsync -a -s ${extra}${excludes ? `${excludes} ` : ''}${remoteShell(params, receiver)} -- ${word.path(dir).quoted} ${destination}`;
  });
}
