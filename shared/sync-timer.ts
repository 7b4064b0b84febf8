/**
 * The scheduled guarded sync of an rsync group: the exact files Lifeboat writes on each member (one
 * script, plus a systemd timer and service, or a root crontab line on OpenBSD), generated from
 * validated values only. The script copies only while its own member holds the group's VIP on a
 * real interface (never lo), only after the member's own address proved the read, towards the other
 * member's own address and SSH port (never a VIP), with rsync --max-delete; every run of the holder
 * writes a stamp on both sides. Pure, so the UI, the CLI and the installer show the same text
 * (docs/safety.md: "What the operator confirms stays what runs").
 */
import { z } from 'zod';
import type { Server, ServiceGroup } from './domain';
import { AbsolutePath, Id, UserName } from './domain';
import { DEFAULT_MAX_DELETE } from './runbooks';
import { sh, shellQuote, word, type Script } from './quoting';
import { isIpv6 } from './validation';

/** Where every member keeps the sync's state: stamps, the pause marker, the run lock. */
export const SYNC_STATE_ROOT = '/var/lib/lifeboat/sync';
/** rsync exit status when --max-delete stopped the deletions. */
export const MAX_DELETE_EXIT = 25;

/** A path rsync's `-e` carries unquoted inside its own quotes: plain characters only. */
const SimplePath = AbsolutePath.refine(
  (v) => /^[A-Za-z0-9_./-]+$/.test(v),
  'letters, digits, _ . / - only (it goes into rsync -e)',
);

/** What the admin chooses when installing the timer; the rest comes from the group. */
export const SyncTimerOptions = z
  .object({
    /** Seconds between runs; null takes the group's sync interval (its minutes). */
    intervalSeconds: z
      .int('whole seconds')
      .min(10, '10 seconds at least')
      .max(86_400, 'a day at most')
      .nullable()
      .default(null),
    /** Mirror deletions (rsync --delete), at most maxDelete files per path and run. */
    delete: z.boolean().default(true),
    maxDelete: z
      .int('a whole number of files')
      .min(0, '0 at least')
      .max(1_000_000, '1000000 at most')
      .default(DEFAULT_MAX_DELETE),
    /** The user each member logs in as on the other member. */
    sshUser: UserName.default('root'),
    /** Key and known-hosts files on the members ("" = ssh's defaults). */
    identityFile: z.union([z.literal(''), SimplePath]).default(''),
    knownHostsFile: z.union([z.literal(''), SimplePath]).default(''),
  })
  .strict();
export type SyncTimerOptions = z.output<typeof SyncTimerOptions>;

/** The input of preview and install: the group and the options. */
export const SyncTimerRequest = z.object({ groupId: Id, options: SyncTimerOptions.prefault({}) }).strict();
export type SyncTimerRequest = z.input<typeof SyncTimerRequest>;

/** One file (or the crontab line) Lifeboat writes on a member, exactly as written. */
export const SyncFile = z.object({ path: z.string(), mode: z.string(), content: z.string() });
export type SyncFile = z.infer<typeof SyncFile>;

/** What is written on one member and how it is switched on. */
export const SyncMemberFiles = z.object({
  serverId: Id,
  server: z.string(),
  scheduler: z.enum(['systemd', 'cron']),
  files: z.array(SyncFile),
});
export type SyncMemberFiles = z.infer<typeof SyncMemberFiles>;

/** The names a group's sync uses on every member. */
export function syncNames(
  groupName: string,
  stateRoot = SYNC_STATE_ROOT,
): { job: string; script: string; unit: string; state: string } {
  const job = `lifeboat-sync-${groupName}`;
  return { job, script: `/usr/local/sbin/${job}`, unit: job, state: `${stateRoot}/${groupName}` };
}

/** A member's own address: its first listed address that is not a VIP, else its SSH host if that is one. */
function ownAddress(server: Server, vips: readonly string[]): string | null {
  const listed = server.addresses.find((a) => !vips.includes(a));
  if (listed) return listed;
  return /^[0-9.]+$|:/.test(server.ssh.host) && !vips.includes(server.ssh.host) ? server.ssh.host : null;
}

/** Why the group cannot have a scheduled sync, or null. */
export function syncTimerProblem(group: ServiceGroup, servers: readonly Server[]): string | null {
  if (group.data.kind !== 'rsync') return `the group ${group.name} does not keep its data with rsync`;
  if (group.members.length !== 2)
    return `the group ${group.name} has ${group.members.length} members; a scheduled sync runs between exactly two`;
  if (group.vips.length === 0) return `the group ${group.name} has no VIP: the sync runs only from the VIP holder`;
  if (group.data.excludes.some((e) => /[\u0000-\u001f\u007f]/.test(e)))
    return `an exclude pattern of the group ${group.name} holds a newline or control character: one plain pattern per entry`;
  const vips = group.vips.map((v) => v.address);
  for (const member of group.members) {
    const server = servers.find((s) => s.id === member.serverId);
    if (!server) return `server ${member.serverId} of the group ${group.name} is not in the inventory`;
    if (!ownAddress(server, vips))
      return `${server.name} has no address of its own that is not a VIP: list it in the inventory (the sync never copies to a VIP)`;
  }
  return null;
}

/** Seconds between runs: the option, else the group's interval. */
export function syncInterval(group: ServiceGroup, options: SyncTimerOptions): number {
  if (options.intervalSeconds !== null) return options.intervalSeconds;
  const minutes = group.data.kind === 'rsync' ? group.data.intervalMinutes : 15;
  return Math.min(86_400, Math.max(60, minutes * 60));
}

/** The command that lists a host's addresses, per OS (a constant: also sent to the peer over ssh). */
function addressCommand(os: Server['os']): string {
  return os === 'openbsd' ? 'ifconfig -A' : 'ip -o addr show';
}

/**
 * An awk filter over `addressCommand` output that prints yes, no or unknown: does the host hold
 * the VIP on an interface other than loopback? unknown unless the host's own address is listed
 * (docs/safety.md, invariant 9: a read proves itself).
 */
function holderFilter(os: Server['os'], vip: string, own: string): Script {
  const v = word.ip(vip);
  const me = word.ip(own);
  if (os === 'openbsd')
    return sh`awk -v a=${v} -v me=${me} '
  /^[^ \t]/ { itf = $1; sub(":$", "", itf) }
  ($1 == "inet" || $1 == "inet6") { split($2, p, "%"); if (p[1] == me) own = 1; if (p[1] == a && itf !~ /^lo[0-9]*$/) h = 1 }
  END { if (!own) print "unknown"; else if (h) print "yes"; else print "no" }'`;
  return sh`awk -v a=${v} -v me=${me} '
  { for (i = 1; i < NF; i++) if ($i == "inet" || $i == "inet6") { split($(i + 1), p, "/"); if (p[1] == me) own = 1; if (p[1] == a && $2 != "lo") h = 1 } }
  END { if (!own) print "unknown"; else if (h) print "yes"; else print "no" }'`;
}

/** The script one member runs on every tick. */
export function syncScript(
  group: ServiceGroup,
  self: Server,
  peer: Server,
  options: SyncTimerOptions,
  stateRoot = SYNC_STATE_ROOT,
): string {
  if (group.data.kind !== 'rsync') throw new Error('not an rsync group');
  const vips = group.vips.map((v) => v.address);
  const selfAddress = ownAddress(self, vips);
  const peerAddress = ownAddress(peer, vips);
  if (!selfAddress || !peerAddress) throw new Error('a member has no address of its own');
  const names = syncNames(group.name, stateRoot);
  const interval = syncInterval(group, options);
  const port = word.port(peer.ssh.port);
  const key = options.identityFile ? ` -i ${options.identityFile}` : '';
  const known = options.knownHostsFile ? ` -o UserKnownHostsFile=${options.knownHostsFile}` : '';
  // The -e value: constants, a checked port and paths of [A-Za-z0-9_./-] (the schema), inside one quoting.
  const ssh = `ssh -p ${port.value} -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=15 -o StrictHostKeyChecking=yes${key}${known}`;
  const host = isIpv6(peerAddress) ? `[${peerAddress}]` : peerAddress;
  const login = `${word.user(options.sshUser).value}@${word.ip(peerAddress).value}`;
  const deleting = options.delete ? `--delete --max-delete=${word.integer(options.maxDelete).value} ` : '';
  const excludes = group.data.excludes.map((e) => `--exclude=${shellQuote(e)} `).join('');
  const copies = group.data.paths.map((path) => {
    const dir = word.path(path.endsWith('/') ? path : `${path}/`);
    return `rsync -a -s --timeout=600 --stats ${deleting}${excludes}-e ${shellQuote(ssh)} -- ${dir.quoted} ${shellQuote(`${options.sshUser}@${host}`)}:${dir.quoted} >>"$d/log" 2>&1; note $?`;
  });
  const state = word.path(names.state);
  // The peer's stamp is written by a constant remote command around the quoted state path.
  const at = (file: string) => word.path(`${names.state}/${file}`).quoted;
  const remote = (good: boolean) =>
    shellQuote(
      `mkdir -p ${state.quoted} && cat > ${at('last.tmp')} && ${good ? `cp ${at('last.tmp')} ${at('good.tmp')} && mv -f ${at('good.tmp')} ${at('good')} && ` : ''}mv -f ${at('last.tmp')} ${at('last')}`,
    );
  return [
    '#!/bin/sh',
    `# Lifeboat: guarded sync of the group ${group.name}, written by Lifeboat (lifeboat sync remove ${group.name} removes it).`,
    `# Copies only while this host (${self.name}) holds ${vips[0]} on an interface other than loopback, to ${peer.name} at its own address.`,
    `# lifeboat-sync: group=${group.name} self=${self.name} peer=${peer.name} interval=${interval} delete=${options.delete ? 1 : 0} max-delete=${options.maxDelete}`,
    '# cron gives a short PATH: the system directories are added after it.',
    'PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"',
    'LC_ALL=C',
    'export PATH LC_ALL',
    `d=${state.quoted}`,
    'mkdir -p "$d" || exit 70',
    `addrs=$(${addressCommand(self.os)} 2>/dev/null) || addrs=''`,
    `held=$(printf '%s\\n' "$addrs" | ${holderFilter(self.os, vips[0], selfAddress).text})`,
    '# The non-holder only notes that its timer ran; it never copies and never writes the stamps.',
    `if [ "$held" = no ]; then echo "checked=$(date +%s)" > "$d/idle"; exit 0; fi`,
    "# One run at a time: a lock directory holding the pid (a dead holder's lock is taken over).",
    'if ! mkdir "$d/lock" 2>/dev/null; then',
    '  old=$(cat "$d/lock/pid" 2>/dev/null)',
    '  if [ -n "$old" ] && kill -0 "$old" 2>/dev/null; then exit 0; fi',
    '  rm -rf "$d/lock"; mkdir "$d/lock" || exit 0',
    'fi',
    'echo $$ > "$d/lock/pid"',
    `trap 'rm -rf "$d/lock"' EXIT`,
    "trap 'exit 143' HUP INT TERM",
    'start=$(date +%s)',
    'stamp() {',
    `  printf 'start=%s\\nend=%s\\nbytes=%s\\nexit=%s\\nstatus=%s\\nholder=%s\\nto=%s\\ninterval=%s\\n' "$start" "$(date +%s)" "$3" "$2" "$1" ${shellQuote(self.name)} ${shellQuote(`${peer.name} ${peerAddress}:${peer.ssh.port}`)} ${interval} > "$d/last.tmp" && mv -f "$d/last.tmp" "$d/last"`,
    '}',
    `if [ "$held" != yes ]; then stamp holder-unknown 0 0; echo 'lifeboat-sync: cannot tell whether this host holds the VIP (its own address is not in its list): nothing copied'; exit 3; fi`,
    `if [ -e "$d/paused" ]; then stamp paused 0 0; exit 0; fi`,
    '# The receiver must not hold the VIP too (two holders: copy nothing, raise the alarm through the stamp).',
    `paddrs=$(${ssh} ${shellQuote(login)} ${shellQuote(addressCommand(peer.os))} 2>/dev/null) || paddrs=''`,
    `peerheld=$(printf '%s\\n' "$paddrs" | ${holderFilter(peer.os, vips[0], peerAddress).text})`,
    `if [ "$peerheld" = yes ]; then stamp peer-holds-vip 4 0; echo ${shellQuote(`lifeboat-sync: ${peer.name} holds the VIP too: nothing copied`)}; exit 4; fi`,
    `if [ "$peerheld" != no ]; then stamp peer-unknown 5 0; echo ${shellQuote(`lifeboat-sync: cannot read the addresses of ${peer.name}: nothing copied`)}; exit 5; fi`,
    ': > "$d/log"',
    'rc=0',
    'note() { case "$1" in 0|24) ;; *) if [ "$rc" -eq 0 ]; then rc=$1; fi ;; esac; }',
    ...copies,
    `bytes=$(awk '/^Total transferred file size:/ { gsub(",", "", $5); b += $5 } END { print b + 0 }' "$d/log")`,
    `case "$rc" in 0) status=ok ;; ${MAX_DELETE_EXIT}) status=max-delete ;; *) status=failed ;; esac`,
    'stamp "$status" "$rc" "$bytes"',
    `if [ "$status" = ok ]; then cp "$d/last" "$d/good.tmp" && mv -f "$d/good.tmp" "$d/good"; fi`,
    `if [ "$status" = ok ]; then remote=${remote(true)}; else remote=${remote(false)}; fi`,
    `if ${ssh} ${shellQuote(login)} "$remote" < "$d/last" >>"$d/log" 2>&1; then echo peer_stamp=ok >> "$d/last"; else echo peer_stamp=failed >> "$d/last"; fi`,
    'exit "$rc"',
    '',
  ].join('\n');
}

/** The systemd service and timer of a member. */
function systemdFiles(group: ServiceGroup, interval: number): SyncFile[] {
  const { unit, script } = syncNames(group.name);
  return [
    {
      path: `/etc/systemd/system/${unit}.service`,
      mode: '0644',
      content: [
        '[Unit]',
        `Description=Lifeboat guarded sync of ${group.name} (copies only from the VIP holder)`,
        'After=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        `ExecStart=${script}`,
        'TimeoutStartSec=6h',
        '',
      ].join('\n'),
    },
    {
      path: `/etc/systemd/system/${unit}.timer`,
      mode: '0644',
      content: [
        '[Unit]',
        `Description=Lifeboat guarded sync of ${group.name}, every ${interval} s`,
        '',
        '[Timer]',
        'OnActiveSec=5s',
        `OnUnitActiveSec=${interval}s`,
        'AccuracySec=1s',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
      ].join('\n'),
    },
  ];
}

/** The root crontab line of an OpenBSD member (cron counts in minutes: the interval is rounded up). */
export function cronLine(group: ServiceGroup, interval: number): string {
  const minutes = Math.min(59, Math.max(1, Math.ceil(interval / 60)));
  const { script, job } = syncNames(group.name);
  return `*/${minutes} * * * * ${script} >/dev/null 2>&1 # ${job}`;
}

/** Every file written on every member, in the members' order. */
export function syncTimerFiles(
  group: ServiceGroup,
  servers: readonly Server[],
  options: SyncTimerOptions,
  stateRoot = SYNC_STATE_ROOT,
): SyncMemberFiles[] {
  const problem = syncTimerProblem(group, servers);
  if (problem) throw new Error(problem);
  const interval = syncInterval(group, options);
  const members = group.members.map((m) => servers.find((s) => s.id === m.serverId)!);
  return members.map((self, i) => {
    const peer = members[1 - i];
    const script: SyncFile = {
      path: syncNames(group.name).script,
      mode: '0755',
      content: syncScript(group, self, peer, options, stateRoot),
    };
    return self.os === 'openbsd'
      ? {
          serverId: self.id,
          server: self.name,
          scheduler: 'cron' as const,
          files: [script, { path: '(root crontab)', mode: '', content: `${cronLine(group, interval)}\n` }],
        }
      : {
          serverId: self.id,
          server: self.name,
          scheduler: 'systemd' as const,
          files: [script, ...systemdFiles(group, interval)],
        };
  });
}
