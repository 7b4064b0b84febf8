/**
 * The frame every check script shares. The script itself arrives on the remote shell's stdin, so
 * each check reads stdin from /dev/null (no command can swallow the rest of the script or of a
 * batch), and ends with `end=1`, which proves the output was not cut short. A brace group, not a
 * subshell: the runner already isolates each script (its own `sh -s`, or a subshell of the
 * persistent shell), and every fork saved is time saved on every sweep.
 */
import { sh, type Script } from '../ssh/quote';
import type { Server } from '../../shared/domain';

/** Wrap a check body into its frame. */
export function checkScript(body: Script): Script {
  return sh`{
${body}
echo end=1
} </dev/null 2>&1`;
}

/** Pick the body for the server's operating system. */
export function byOs(server: Server, scripts: { linux: Script; openbsd: Script }): Script {
  return server.os === 'openbsd' ? scripts.openbsd : scripts.linux;
}
