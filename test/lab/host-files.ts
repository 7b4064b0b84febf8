/** Files the lab writes for each host: sshd config, /etc/hosts, the HTTP server, the probe, the launcher. */
import { BRIDGE_IP, GROUPS, HOSTS, labIp, type HostName } from './topology';
import { Layout, hostIp } from './tools';
export function sshdConfig(L: Layout, host: HostName): string {
  const hd = L.hostDir(host);
  return [
    `# Lifeboat lab: sshd for ${host} (${hostIp(host)})`,
    'Port 22',
    'AddressFamily inet',
    'ListenAddress 0.0.0.0',
    `HostKey ${hd}/ssh_host_ed25519_key`,
    `PidFile ${hd}/sshd.pid`,
    `AuthorizedKeysFile ${L.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The lab directory lives under /tmp (world-writable), which StrictModes would reject.
    'StrictModes no',
    'UseDNS no',
    'LogLevel ERROR',
    'MaxSessions 50',
    'MaxStartups 100',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowAgentForwarding no',
    'AllowTcpForwarding yes',
    'PermitUserEnvironment no',
    'ClientAliveInterval 15',
    'ClientAliveCountMax 4',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

export function etcHosts(): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${BRIDGE_IP}\tlab-root`];
  for (const h of HOSTS) lines.push(`${labIp(h.n)}\t${h.name}`);
  for (const g of GROUPS) lines.push(`${labIp(g.vip)}\t${g.name}-vip`);
  return lines.join('\n') + '\n';
}

export const HTTPD_PY = `# Lifeboat lab: answers every GET with 200 and this host's name.
import http.server, os, sys
name, pidfile = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    server_version = 'lifeboat-lab'
    sys_version = ''
    def _answer(self, head_only):
        body = (name + '\\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Lab-Host', name)
        self.send_header('Connection', 'close')
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
    def do_GET(self):
        self._answer(False)
    def do_HEAD(self):
        self._answer(True)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
server = Server(('0.0.0.0', 80), Handler)
with open(pidfile + '.tmp', 'w') as f:
    f.write('%d\\n' % os.getpid())
os.replace(pidfile + '.tmp', pidfile)
server.serve_forever()
`;

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

/**
 * Runs in the host's network namespace under `unshare --mount --uts --propagation private`:
 * $1 host name, $2 host dir, $3 lab /etc/hosts, $4 sshd. Becomes the host's anchor process.
 */
export const LAUNCHER_SH = `set -eu
hostname "$1"
mount --bind "$2/srv" /srv
mount --bind "$3" /etc/hosts
mkdir -p /run/postgresql
mount --bind "$2/run-postgresql" /run/postgresql
echo "$$" > "$2/anchor.pid.tmp"
mv "$2/anchor.pid.tmp" "$2/anchor.pid"
"$4" -f "$2/sshd_config" -E "$2/sshd.log"
exec sleep infinity
`;
