/**
 * Each host's own layer over the shared root: hostname, machine id, SSH host key, the lab key in
 * root's authorized_keys, /etc/hosts, its address, its units enabled, its data. Written into the
 * overlay's upper directory before the host boots; a directory created there takes the owner and
 * mode of the same directory in the root, so the merged view keeps Debian's permissions.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BRIDGE_IP, GROUPS, HOST_UNITS, HOSTS, LAB_PREFIX, labIp, PG, SEED_FILES, type HostName } from './topology';
import { Layout, hostIp } from './tools';

/** Create `rel` (a directory path inside the host) in the upper layer, each level owned as in the root. */
function mkdirLike(base: string, upper: string, rel: string): void {
  let sub = '';
  for (const part of rel.split('/').filter(Boolean)) {
    sub = path.join(sub, part);
    const target = path.join(upper, sub);
    if (fs.existsSync(target)) continue;
    let mode = 0o755;
    let uid = 0;
    let gid = 0;
    try {
      const st = fs.statSync(path.join(base, sub));
      mode = st.mode & 0o7777;
      uid = st.uid;
      gid = st.gid;
    } catch {
      /* new in this host: root-owned 755 */
    }
    fs.mkdirSync(target);
    fs.chownSync(target, uid, gid);
    fs.chmodSync(target, mode);
  }
}

/** Write a file into the host's layer (its directories as in the root). */
function put(
  base: string,
  upper: string,
  rel: string,
  content: string | Buffer,
  opts: { mode?: number; owner?: { uid: number; gid: number } } = {},
): void {
  mkdirLike(base, upper, path.dirname(rel));
  const target = path.join(upper, rel);
  fs.writeFileSync(target, content);
  fs.chmodSync(target, opts.mode ?? 0o644);
  if (opts.owner) fs.chownSync(target, opts.owner.uid, opts.owner.gid);
}

function link(base: string, upper: string, rel: string, to: string): void {
  mkdirLike(base, upper, path.dirname(rel));
  fs.symlinkSync(to, path.join(upper, rel));
}

/** uid and gid of a user in the root's /etc/passwd. */
export function rootUser(base: string, name: string): { uid: number; gid: number } {
  for (const line of fs.readFileSync(path.join(base, 'etc/passwd'), 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(`the lab root has no user ${name}`);
}

/** Where a unit's file is in the root (the lab's own in /etc/systemd/system, Debian's in /lib/systemd/system). */
function unitPath(base: string, unit: string): string {
  const name = unit.endsWith('.service') ? unit : `${unit}.service`;
  const at = /^([^@]+@)[^.]*\.service$/.exec(name);
  for (const dir of ['etc/systemd/system', 'lib/systemd/system']) {
    if (fs.existsSync(path.join(base, dir, name))) return `/${dir}/${name}`;
    if (at && fs.existsSync(path.join(base, dir, `${at[1]}.service`))) return `/${dir}/${at[1]}.service`;
  }
  throw new Error(`the lab root has no unit ${name}`);
}

export function writeHostLayer(
  L: Layout,
  base: string,
  host: HostName,
  keys: { hostKey: Buffer; hostKeyPub: Buffer; authorized: string },
): void {
  const upper = L.upperDir(host);
  const spec = HOSTS.find((h) => h.name === host)!;
  put(base, upper, 'etc/hostname', `${host}\n`);
  put(base, upper, 'etc/machine-id', `${crypto.randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  put(base, upper, 'etc/hosts', etcHosts());
  put(
    base,
    upper,
    'etc/lab-network.conf',
    `# The address this host brings up at boot (lab-network.service)\nADDRESS=${labIp(spec.n)}/${LAB_PREFIX}\n`,
  );
  put(base, upper, 'etc/ssh/ssh_host_ed25519_key', keys.hostKey, { mode: 0o600 });
  put(base, upper, 'etc/ssh/ssh_host_ed25519_key.pub', keys.hostKeyPub);
  put(base, upper, 'root/.ssh/authorized_keys', keys.authorized, { mode: 0o600 });
  fs.chmodSync(path.join(upper, 'root/.ssh'), 0o700);
  put(base, upper, 'srv/lab-host', `${host}\n`);
  link(
    base,
    upper,
    'etc/systemd/system/sysinit.target.wants/lab-network.service',
    '/etc/systemd/system/lab-network.service',
  );
  for (const unit of HOST_UNITS[host]) {
    if (unit === PG.unit) continue; // postgresql.service starts the clusters whose start.conf says auto
    link(base, upper, `etc/systemd/system/multi-user.target.wants/${unit}.service`, unitPath(base, unit));
  }
  if (HOST_UNITS[host].includes(PG.unit)) {
    const pg = rootUser(base, PG.osUser);
    put(base, upper, `${PG.configDir.slice(1)}/start.conf`, 'auto\n', { owner: pg });
    // pg_rewind needs wal_log_hints (or data checksums) on the member it rewinds and full_page_writes
    // on its source: on both members, so a re-protect rewinds instead of copying the whole cluster.
    put(
      base,
      upper,
      `${PG.configDir.slice(1)}/conf.d/lifeboat-rewind.conf`,
      '# Lifeboat lab: what pg_rewind needs (re-protect after a failover)\nwal_log_hints = on\nfull_page_writes = on\n',
      { owner: pg },
    );
    if (host === 'db-b') {
      // A copy of a cleanly stopped primary is a valid base backup: db-b starts as db-a's standby.
      put(base, upper, `${PG.dataDir.slice(1)}/standby.signal`, '', { mode: 0o600, owner: pg });
      put(
        base,
        upper,
        `${PG.configDir.slice(1)}/conf.d/lifeboat-standby.conf`,
        `primary_conninfo = 'host=${hostIp('db-a')} port=${PG.port} user=${PG.replicationUser} application_name=db-b'\n# retry db-a every half second while it is still starting (the default waits 5 s)\nwal_retrieve_retry_interval = 500ms\n`,
        { owner: pg },
      );
    }
  }
  const files = GROUPS.find((g) => g.name === 'files')!;
  if (host === files.primary)
    for (const [rel, content] of Object.entries(SEED_FILES)) put(base, upper, `srv/files/${rel}`, content);
  if (host === files.standby) mkdirLike(base, upper, 'srv/files');
}

export function etcHosts(): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${BRIDGE_IP}\tlab-root`];
  for (const h of HOSTS) lines.push(`${labIp(h.n)}\t${h.name}`);
  for (const g of GROUPS) lines.push(`${labIp(g.vip)}\t${g.name}-vip`);
  return lines.join('\n') + '\n';
}

export const PROBE_PY = `import json, sys, urllib.error, urllib.request
url, timeout = sys.argv[1], float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def out(status, body, error):
    print(json.dumps({'status': status, 'body': body, 'error': error}))
try:
    with opener.open(urllib.request.Request(url, headers={'Connection': 'close'}), timeout=timeout) as r:
        out(r.status, r.read(65536).decode('utf-8', 'replace'), None)
except urllib.error.HTTPError as e:
    out(e.code, e.read(65536).decode('utf-8', 'replace'), None)
except Exception as e:
    out(0, '', type(e).__name__ + ': ' + str(e))
`;
