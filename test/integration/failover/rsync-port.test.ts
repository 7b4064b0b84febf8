/**
 * The final sync reaches a member whose sshd listens on 2222. A second sshd (started on files-b
 * through the lab API, as a transient unit, not by editing the lab's files) listens on 2222 and is
 * the only one that accepts a key made for this test; files-b's SSH port in the inventory is 2222.
 * The copy, run on files-a, must use that port: on port 22 the key is refused and nothing arrives.
 * Judged from outside: the file is on files-b, and the audited copy command names -p 2222.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { Server } from '../../../shared/domain';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed } from '../../unit/failover/confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { openLabFailover, placeVip, type LabFailover } from './lab-failover';

const PORT = 2222;
const UNIT = 'lifeboat-test-sshd-2222';
const AUTHORIZED = '/etc/ssh/lifeboat-test-2222-keys';
const KEY = '/root/lifeboat-test-2222-key';
const KNOWN = '/root/lifeboat-test-2222-known';
const PROOF = `/srv/files/port-${PORT}-proof.txt`;

describeLab('the final sync reaches a member on SSH port 2222', (lab: () => Lab) => {
  let w: LabFailover;
  const content = crypto.randomBytes(8).toString('hex');

  beforeAll(async () => {
    const L = lab();
    w = await openLabFailover(L);
    await placeVip(L, L.vips.files, 'files-a', ['files-a', 'files-b']);
    // A key only the 2222 sshd accepts, made on the source.
    await L.exec('files-a', ['sh', '-c', `rm -f ${KEY} ${KEY}.pub && ssh-keygen -q -t ed25519 -N '' -f ${KEY}`]);
    const publicKey = (await L.exec('files-a', ['cat', `${KEY}.pub`])).stdout.trim();
    await L.exec('files-b', ['sh', '-c', `umask 077 && printf '%s\\n' "$1" > ${AUTHORIZED}`, 'sh', publicKey]);
    await L.exec('files-b', [
      'systemd-run',
      `--unit=${UNIT}`,
      '--collect',
      '--property=RuntimeDirectory=sshd',
      '--property=RuntimeDirectoryPreserve=yes',
      '/usr/sbin/sshd',
      '-D',
      '-e',
      '-o',
      `Port=${PORT}`,
      '-o',
      'PidFile=none',
      '-o',
      `AuthorizedKeysFile=${AUTHORIZED} .ssh/authorized_keys`,
    ]);
    const deadline = Date.now() + 15_000;
    for (let listening = false; !listening;) {
      if (Date.now() > deadline) throw new Error(`files-b's second sshd does not listen on ${PORT}`);
      listening = (await L.exec('files-b', ['sh', '-c', `ss -ltnH 'sport = :${PORT}' | grep -q LISTEN`])).code === 0;
      if (!listening) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The source knows files-b's host key at [address]:2222 (strict host-key checking stays on).
    const hostKey = (
      await L.exec('files-b', ['sh', '-c', 'cut -d" " -f1,2 /etc/ssh/ssh_host_ed25519_key.pub'])
    ).stdout.trim();
    await L.exec('files-a', [
      'sh',
      '-c',
      `printf '%s\\n' "$1" > ${KNOWN}`,
      'sh',
      `[${L.hosts['files-b'].ip}]:${PORT} ${hostKey}`,
    ]);
    // The inventory says files-b's SSH port is 2222; Lifeboat pins its key there (the lab made it).
    const filesB = w.snapshot.servers.find((s) => s.name === 'files-b')!;
    await w.ws.ok<Server>('servers.save', { ...filesB, ssh: { ...filesB.ssh, port: PORT } });
    const scan = await w.ws.ok<{ fingerprint: string; keyType: string }>('hosts.scanKey', { serverId: filesB.id });
    expect(scan.fingerprint).toBe(L.hosts['files-b'].hostKeyFingerprint);
    await w.ws.ok('hosts.trust', { serverId: filesB.id, keyType: scan.keyType, fingerprint: scan.fingerprint });
    await L.exec('files-a', ['sh', '-c', `mkdir -p /srv/files && printf '%s' "$1" > ${PROOF}`, 'sh', content]);
    await L.exec('files-b', ['rm', '-f', PROOF]);
  }, 120_000);

  afterAll(async () => {
    const L = lab();
    await L.exec('files-b', ['systemctl', 'stop', UNIT]);
    await L.exec('files-b', ['rm', '-f', AUTHORIZED, PROOF]);
    await L.exec('files-a', ['rm', '-f', KEY, `${KEY}.pub`, KNOWN, PROOF]);
    await placeVip(L, L.vips.files, 'files-a', ['files-a', 'files-b']);
    await w?.close();
  }, 60_000);

  it('the port-22 sshd refuses the test key (so only a copy on 2222 can arrive)', async () => {
    const L = lab();
    const on22 = await L.exec('files-a', [
      'ssh',
      '-i',
      KEY,
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=5',
      `root@${L.hosts['files-b'].ip}`,
      'true',
    ]);
    expect(on22.code).not.toBe(0);
  }, 30_000);

  it('copies from files-a to files-b over port 2222', async () => {
    const L = lab();
    const group = w.group('files');
    const [a, b] = [w.serverId('files-a'), w.serverId('files-b')];
    const vip = (kind: 'vip.release' | 'vip.acquire', serverId: number) => ({
      type: 'action',
      title: kind,
      serverId,
      action: { kind, params: { address: L.vips.files, prefix: 24, interface: 'eth0' } },
    });
    const sync = {
      type: 'action',
      title: 'Final sync files-a → files-b',
      serverId: b,
      timeoutSeconds: 120,
      action: {
        kind: 'rsync.sync',
        params: {
          sourceServerId: a,
          vipAddress: L.vips.files,
          paths: ['/srv/files'],
          identityFile: KEY,
          knownHostsFile: KNOWN,
        },
      },
    };
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: a,
      targetServerId: b,
      steps: [sync, vip('vip.release', a), vip('vip.acquire', b)],
    });
    const started = await startConfirmed(w.deps, {
      groupId: group.id,
      targetServerId: b,
      mode: 'drill',
      confirmation: 'files',
    });
    // Bounded: until the run ends or halts on a step (a copy that cannot reach files-b halts).
    const deadline = Date.now() + 120_000;
    const settled = () =>
      viewRun(w.deps, started.runId!).waiting !== null || viewRun(w.deps, started.runId!).status !== 'running';
    while (Date.now() < deadline && !settled()) await new Promise((resolve) => setTimeout(resolve, 100));
    const view = viewRun(w.deps, started.runId!);
    if (view.waiting)
      respondToRun(w.deps, {
        runId: started.runId!,
        stepIndex: view.waiting.stepIndex,
        action: 'abort',
        reason: 'the copy did not reach files-b',
      });
    const status = await started.finished;
    expect(view.steps[0].status, JSON.stringify(view.steps[0])).toBe('succeeded');
    expect(status).toBe('succeeded');
    expect((await L.exec('files-b', ['cat', PROOF])).stdout).toBe(content);
    const copy = listAuditRows(w.ws.db, { runId: started.runId!, limit: 500 }).find(
      (r) => r.kind === 'intent' && r.command.includes('rsync -a -s') && !r.command.includes(' -n '),
    );
    expect(copy?.command).toContain(`ssh -p ${PORT} `);
    expect(copy?.command).toContain(`@'${L.hosts['files-b'].ip}':`);
  }, 180_000);
});
