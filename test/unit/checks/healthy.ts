/** What a healthy example company answers to each check script (by what the script runs). */
import type { Server } from '../../../shared/domain';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import { ok } from './runners';

/** The VIP each example group's primary holds (documentation addresses: 192.0.2.x). */
const VIP_OF: Record<string, string> = {
  'gw-a': '192.0.2.1',
  'web-a': '192.0.2.10',
  'db-a': '192.0.2.20',
  'files-a': '192.0.2.30',
};

export function healthyAnswer(server: Server, script: string): RemoteOutcome {
  if (script.includes('echo ssh=ok')) return ok('ssh=ok', 3);
  if (script.includes('df -P -k')) return ok('df=/dev/sda1 1000 200 800 20% /');
  if (script.includes('/proc/loadavg')) return ok('load=0.10 0.20 0.30\ncpus=4');
  if (script.includes('ip -o addr show')) {
    const vip = VIP_OF[server.name];
    return ok(
      `2: eth0    inet ${server.addresses[0]}/24 scope global eth0${vip ? `\n2: eth0    inet ${vip}/24 scope global secondary eth0` : ''}`,
    );
  }
  if (script.includes('psql'))
    return ok(server.name === 'db-a' ? 'rc=0\nrow=f|0/3000148||||1' : 'rc=0\nrow=t|0/3000148|0/3000148|0|1|0');
  if (script.includes('systemctl is-active')) return ok('systemd=active');
  if (script.includes('chronyc -n -c tracking'))
    return ok(
      'now=1800000000.000000000\nchrony=C0000201,192.0.2.1,3,1799999990.5,0.000120000,0.000012,0.000030,-12.345,0.001,0.020,0.000400,0.000200,64.2,Normal',
    );
  if (script.includes('s/^/last_/p'))
    return ok(
      'now=100000\nlast_start=99990\nlast_end=99995\nlast_bytes=10\nlast_exit=0\nlast_status=ok\nlast_holder=files-a\nlast_to=files-b\nlast_interval=300\n' +
        'good_start=99990\ngood_end=99995\ngood_bytes=10\ngood_exit=0\ngood_status=ok\ngood_holder=files-a\ngood_to=files-b\ngood_interval=300',
    );
  if (script.includes('now=$(date +%s)')) return ok('now=100000\nfiles=3\nmtime=99990');
  if (script.includes('sha256sum')) return ok(`sum=${'a'.repeat(64)}  /srv/files/README.txt`);
  return ok('');
}
