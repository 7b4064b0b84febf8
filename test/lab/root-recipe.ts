/**
 * The recipe of the lab's Debian root: one read-only bookworm tree every host boots from (through
 * its own overlay). Everything that decides its content is in this file, and the cache key is a
 * hash of it, so changing a package or a unit here rebuilds the root; nothing else does.
 *
 * The units are installed in the root but enabled per host (in the host's overlay), so a web host
 * runs nginx and crm and a files host does not.
 */

export const SUITE = 'bookworm';
/** debootstrap --variant=minbase --include=... */
export const BASE_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'iproute2',
  'iputils-arping',
  'iputils-ping',
  'rsync',
  'nginx-light',
  'python3',
  'procps',
  'psmisc',
  'less',
] as const;
/** Installed afterwards in the chroot with a policy-rc.d that exits 101 (nothing starts at build time). */
export const LATE_PACKAGES = ['postgresql-15'] as const;

/** PostgreSQL as Debian lays it out (postgresql-common): pg_ctl is not on PATH. */
export const DEBIAN_PG = {
  version: '15',
  cluster: 'main',
  unit: 'postgresql@15-main',
  binDir: '/usr/lib/postgresql/15/bin',
  dataDir: '/var/lib/postgresql/15/main',
  configDir: '/etc/postgresql/15/main',
  logFile: '/var/log/postgresql/postgresql-15-main.log',
} as const;

/** The lab's own units (installed disabled; bring-up enables them per host). */
export const UNIT_FILES: Readonly<Record<string, string>> = {
  // The host's address comes from its own configuration at every boot, as ifupdown would do: a
  // reboot forgets whatever address was added by hand (a VIP a failover moved).
  'lab-network.service': `[Unit]
Description=Lab network: the host's own address on eth0 (runtime addresses do not survive a reboot)
DefaultDependencies=no
Before=network.target network-online.target ssh.service
Wants=network.target

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=/etc/lab-network.conf
ExecStart=/usr/sbin/ip addr flush dev eth0
ExecStart=/usr/sbin/ip addr add \${ADDRESS} dev eth0
ExecStart=/usr/sbin/ip link set eth0 up

[Install]
WantedBy=sysinit.target
`,
  'crm.service': `[Unit]
Description=Northwind CRM (lab): the web application behind nginx
After=network.target

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/lab/answer.py http 8080
Restart=on-failure
RestartSec=1

[Install]
WantedBy=multi-user.target
`,
  'fileshare.service': `[Unit]
Description=Office file share (lab): serves /srv/files read-only over HTTP on port 445
After=network.target

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/lab/answer.py files 445
Restart=on-failure
RestartSec=1

[Install]
WantedBy=multi-user.target
`,
  'gateway.service': `[Unit]
Description=Office gateway (lab): the web proxy port 3128
After=network.target

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/lab/answer.py http 3128
Restart=on-failure
RestartSec=1

[Install]
WantedBy=multi-user.target
`,
  'pbx.service': `[Unit]
Description=Phone system (lab): SIP port 5060
After=network.target

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/lab/answer.py http 5060
Restart=on-failure
RestartSec=1

[Install]
WantedBy=multi-user.target
`,
};

/** The one program behind the lab's small units: answers HTTP with the host's name, or serves /srv/files. */
export const ANSWER_PY = `# Lifeboat lab: "http PORT" answers every GET with the host name; "files PORT" serves /srv/files.
import functools, http.server, socket, sys
mode, port = sys.argv[1], int(sys.argv[2])
name = socket.gethostname()
class Answer(http.server.BaseHTTPRequestHandler):
    server_version = 'lifeboat-lab'
    sys_version = ''
    def do_GET(self):
        body = (name + '\\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
handler = Answer if mode == 'http' else functools.partial(http.server.SimpleHTTPRequestHandler, directory='/srv/files')
Server(('0.0.0.0', port), handler).serve_forever()
`;

/** nginx on the web hosts: answers with the host's name, and /crm/ goes to the crm unit. */
export const NGINX_SITE = `server {
    listen 80 default_server;
    server_name _;
    access_log off;
    location = / {
        default_type text/plain;
        return 200 "$hostname\\n";
    }
    location /crm/ {
        proxy_pass http://127.0.0.1:8080/;
    }
}
`;

export const SSHD_LAB_CONF = `# Lifeboat lab
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
MaxSessions 50
MaxStartups 100
PrintMotd no
PrintLastLog no
ClientAliveInterval 15
ClientAliveCountMax 4
`;

/** PostgreSQL settings of the lab cluster (conf.d, so Debian's postgresql.conf stays as packaged). */
export const PG_LAB_CONF = `# Lifeboat lab
listen_addresses = '*'
port = 5432
max_connections = 40
shared_buffers = 16MB
wal_level = replica
max_wal_senders = 8
wal_keep_size = 128MB
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
fsync = off
synchronous_commit = off
full_page_writes = off
`;

export const PG_HBA = `# Lifeboat lab: trust on the loopback and the lab network only.
local   all          all                  trust
local   replication  all                  trust
host    all          all   127.0.0.1/32   trust
host    replication  all   127.0.0.1/32   trust
host    all          all   10.77.0.0/24   trust
host    replication  all   10.77.0.0/24   trust
`;

/**
 * Run inside the fresh root (systemd-nspawn --pipe, not booted) after debootstrap: install
 * PostgreSQL with nothing started, configure the cluster the db hosts share (db-a starts it as a
 * primary, db-b as a standby of db-a: a copy of a cleanly stopped primary is a valid base backup),
 * and leave every lab unit installed but disabled.
 */
export const CONFIGURE_SH = `set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
apt-get install -y -q --no-install-recommends ${LATE_PACKAGES.join(' ')} >/dev/null
rm -f /usr/sbin/policy-rc.d
apt-get clean
rm -rf /var/lib/apt/lists/*
# Every host gets its own host key and machine id from its overlay.
rm -f /etc/ssh/ssh_host_* /etc/machine-id /var/lib/dbus/machine-id
: > /etc/machine-id
# Units that only slow a lab host's boot down, or would edit the shared root.
systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \\
  systemd-timesyncd.service getty@tty1.service console-getty.service systemd-networkd-wait-online.service >/dev/null 2>&1 || true
systemctl disable nginx.service >/dev/null 2>&1 || true
# A killed sshd stays dead (tests make a host unreachable that way); the rest is Debian's ssh.service.
mkdir -p /etc/systemd/system/ssh.service.d
printf '[Service]\\nRestart=no\\n' > /etc/systemd/system/ssh.service.d/lab.conf
rm -f /etc/nginx/sites-enabled/default
# The cluster: started only where the host's overlay says so (start.conf "auto" on db-a/db-b).
conf=${DEBIAN_PG.configDir}
echo manual > $conf/start.conf
cp /usr/local/lib/lab/recipe/pg-lab.conf $conf/conf.d/lifeboat-lab.conf
cp /usr/local/lib/lab/recipe/pg_hba.conf $conf/pg_hba.conf
chown postgres:postgres $conf/conf.d/lifeboat-lab.conf $conf/pg_hba.conf
mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql
runuser -u postgres -- ${DEBIAN_PG.binDir}/pg_ctl -D ${DEBIAN_PG.dataDir} -o "-c config_file=$conf/postgresql.conf -c listen_addresses=''" -w -t 60 -l /tmp/pg-build.log start >/dev/null
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE replicator WITH REPLICATION LOGIN" -c "CREATE DATABASE crm"
runuser -u postgres -- ${DEBIAN_PG.binDir}/pg_ctl -D ${DEBIAN_PG.dataDir} -m fast -w -t 60 stop >/dev/null
rm -f /tmp/pg-build.log
: > ${DEBIAN_PG.logFile}
chown postgres:adm ${DEBIAN_PG.logFile}
`;
