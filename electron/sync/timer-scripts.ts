/**
 * The scripts that install, read and remove a scheduled sync on one member. File contents travel
 * as one POSIX single-quoted printf argument (never a here-document a line of content could end),
 * are written to a temporary name and renamed, and are proven by their sha256 read back. Every
 * script ends with a sentinel line: an answer without it proves nothing (docs/safety.md, invariant 9).
 */
import type { Server } from '../../shared/domain';
import { SYNC_STATE_ROOT, syncNames, type SyncMemberFiles } from '../../shared/sync-timer';
import { shellQuote, word } from '../ssh/quote';

export const SYNC_END = 'lifeboat-sync: end';

/** The sha256 of a file, printed as `file=<sha256> <path>` or `missing=<path>`, per OS. */
function hashLine(os: Server['os'], path: string): string {
  const p = word.path(path).quoted;
  const sum = os === 'openbsd' ? `sha256 -q < ${p}` : `sha256sum < ${p} | cut -d' ' -f1`;
  return `if [ -f ${p} ]; then echo "file=$(${sum}) "${p}; else echo "missing="${p}; fi`;
}

/** Write one file atomically: a temporary name, its mode, then a rename. */
function writeFile(path: string, mode: string, content: string): string {
  const p = word.path(path);
  const tmp = word.path(`${path}.lifeboat-new`);
  if (!/^0[0-7]{3}$/.test(mode)) throw new Error(`unsafe mode ${mode}`);
  return [
    `printf '%s' ${shellQuote(content)} > ${tmp.quoted} || exit 10`,
    `chmod ${mode} ${tmp.quoted} || exit 10`,
    `mv -f ${tmp.quoted} ${p.quoted} || exit 10`,
  ].join('\n');
}

/** The crontab of root without our line, then with it (OpenBSD). */
function cronInstall(groupName: string, line: string): string {
  const { job } = syncNames(groupName);
  const tag = shellQuote(` # ${job}`);
  return `{ crontab -l 2>/dev/null | grep -v -F -e ${tag}; printf '%s\\n' ${shellQuote(line)}; } | crontab - || exit 11`;
}

/** Install: write the files, switch the timer on, then print what is there (as the status script does). */
export function installScript(server: Server, groupName: string, member: SyncMemberFiles): string {
  const { unit, state } = syncNames(groupName);
  const files = member.files.filter((f) => f.path.startsWith('/'));
  const steps = [
    'umask 022',
    `mkdir -p /usr/local/sbin ${word.path(state).quoted} || exit 10`,
    ...files.map((f) => writeFile(f.path, f.mode, f.content)),
  ];
  if (member.scheduler === 'systemd') {
    const timer = word.unit(`${unit}.timer`).quoted;
    steps.push('systemctl daemon-reload || exit 12', `systemctl enable --now -- ${timer} || exit 12`);
  } else {
    const line = member.files.find((f) => f.path === '(root crontab)')?.content.trim() ?? '';
    steps.push(cronInstall(groupName, line));
  }
  return [...steps, statusScript(server, groupName)].join('\n');
}

/** Remove: the timer off, its files and the stamps gone, then the status read. */
export function removeScript(server: Server, groupName: string): string {
  const { unit, script, state, job } = syncNames(groupName);
  const steps: string[] = [];
  if (server.os === 'openbsd') {
    const tag = shellQuote(` # ${job}`);
    steps.push(
      `if crontab -l 2>/dev/null | grep -q -F -e ${tag}; then crontab -l | grep -v -F -e ${tag} | crontab - || exit 11; fi`,
    );
  } else {
    const timer = word.unit(`${unit}.timer`).quoted;
    const service = word.unit(`${unit}.service`).quoted;
    steps.push(
      `systemctl disable --now -- ${timer} >/dev/null 2>&1`,
      `systemctl stop -- ${service} >/dev/null 2>&1`,
      `rm -f -- ${word.path(`/etc/systemd/system/${unit}.timer`).quoted} ${word.path(`/etc/systemd/system/${unit}.service`).quoted} || exit 10`,
      'systemctl daemon-reload || exit 12',
      `systemctl reset-failed -- ${timer} ${service} >/dev/null 2>&1`,
    );
  }
  steps.push(`rm -f -- ${word.path(script).quoted} || exit 10`);
  // The state lives under a fixed root and a slug: never anything else.
  if (!state.startsWith(`${SYNC_STATE_ROOT}/`)) throw new Error('unexpected state path');
  steps.push(`rm -rf -- ${word.path(state).quoted} || exit 10`);
  return [...steps, statusScript(server, groupName)].join('\n');
}

/** Read the files, the scheduler, the pause marker and both stamps. */
export function statusScript(server: Server, groupName: string): string {
  const { unit, script, state, job } = syncNames(groupName);
  const d = word.path(state).quoted;
  const lines = ['echo "now=$(date +%s)"', hashLine(server.os, script)];
  if (server.os === 'openbsd') {
    lines.push(
      `if crontab -l 2>/dev/null | grep -q -F -e ${shellQuote(` # ${job}`)}; then echo scheduler=crontab-line; else echo scheduler=no-crontab-line; fi`,
    );
  } else {
    const timer = word.unit(`${unit}.timer`).quoted;
    for (const kind of ['service', 'timer']) lines.push(hashLine(server.os, `/etc/systemd/system/${unit}.${kind}`));
    lines.push(
      `echo "scheduler=$(systemctl is-active -- ${timer} 2>/dev/null | head -n 1) $(systemctl is-enabled -- ${timer} 2>/dev/null | head -n 1)"`,
      `echo "next=$(systemctl show -p NextElapseUSecRealtime --value -- ${timer} 2>/dev/null | head -n 1)"`,
    );
  }
  lines.push(
    `if [ -e ${d}/paused ]; then echo paused=1; else echo paused=0; fi`,
    `[ -f ${d}/last ] && sed -n 's/^/last./p' ${d}/last | head -n 20`,
    `[ -f ${d}/good ] && sed -n 's/^/good./p' ${d}/good | head -n 20`,
    `echo '${SYNC_END}'`,
  );
  return lines.join('\n');
}
