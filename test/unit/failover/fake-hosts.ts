/**
 * A scripted RemoteRunner that plays the lab's hosts: it understands the scripts the failover
 * actions send (addresses, VIP release/acquire, PostgreSQL, rsync, services) and keeps each host's
 * state, so tests can check the state from outside as the lab tests do. Every call is recorded.
 */
import type { Server } from '../../../shared/domain';
import type { RemoteOutcome, RemoteRunner, RunOptions } from '../../../electron/ports/remote';
import { fakeRunRoot, runLockScript } from './fake-host-locks';
import { FakeSegment, interpretVipProbe } from './fake-segment';
import { findAnswer, memberReadAnswer, type ReadableHost } from './fake-reads';

export interface FakeHost extends ReadableHost {
  reachable: boolean;
  addresses: { interface: string; address: string; prefix: number }[];
  postgres?: {
    running: boolean;
    inRecovery: boolean;
    lagSeconds: number;
    promoteTimesOut?: boolean;
    restartsAfterStop?: boolean;
    ctlStatusAfterStop?: number;
  };
  activeUnits: Set<string>;
  /** Units installed on the host (undefined: every unit exists). */
  installedUnits?: Set<string>;
  files: Map<string, string>;
  /** The scheduled sync's pause marker (sync.pause / sync.resume) is present. */
  syncPaused?: boolean;
}

export interface Call {
  host: string;
  script: string;
}

type Override = (host: string, script: string) => RemoteOutcome | undefined;

const ok = (stdout: string, code = 0): RemoteOutcome => ({
  kind: code === 0 ? 'ok' : 'failed',
  result: { code, stdout, stderr: '', truncated: false, durationMs: 1 },
});

export class FakeHosts implements RemoteRunner {
  readonly hosts = new Map<string, FakeHost>();
  readonly calls: Call[] = [];
  /** MAC answering the duplicate probe for an address (someone outside Lifeboat's members holds it). */
  readonly duplicates = new Set<string>();
  /** The segment the hosts share: MACs, strangers answering ARP, lost probes (fake-segment.ts). */
  readonly segment = new FakeSegment();
  /** Every host's /run, where the on-host lock scripts run for real (fake-host-locks.ts). */
  readonly runRoot = fakeRunRoot();
  private overrides: Override[] = [];
  /** sshd's banner as a new connection would see it; unset: not asked (as a runner without it). */
  sshBanner?: RemoteRunner['sshBanner'];
  /** Called before each script is "sent" (assert the intent row exists here). */
  beforeRun: ((host: string, script: string) => void) | null = null;

  host(name: string, init: Partial<FakeHost> = {}): FakeHost {
    const host: FakeHost = { reachable: true, addresses: [], activeUnits: new Set(), files: new Map(), ...init };
    this.hosts.set(name, host);
    return host;
  }

  /** Answer matching scripts differently (first override returning an outcome wins). */
  override(fn: Override): void {
    this.overrides.push(fn);
  }

  holders(address: string): string[] {
    return [...this.hosts].filter(([, h]) => h.addresses.some((a) => a.address === address)).map(([name]) => name);
  }

  async run(server: Server, script: string, options: RunOptions): Promise<RemoteOutcome> {
    this.beforeRun?.(server.name, script);
    this.calls.push({ host: server.name, script });
    for (const fn of this.overrides) {
      const outcome = fn(server.name, script);
      if (outcome) return outcome;
    }
    const host = this.hosts.get(server.name);
    if (!host || !host.reachable)
      return { kind: 'unreachable', detail: `connect to ${server.name}: timed out`, cause: 'network' };
    const read = memberReadAnswer(host, script, [server.ssh.host, ...server.addresses]);
    const outcome = read ? ok(read.stdout, read.code) : this.interpret(server.name, host, script);
    const code = outcome.kind === 'ok' || outcome.kind === 'failed' ? outcome.result.code : null;
    if ((outcome.kind === 'ok' || outcome.kind === 'failed') && code !== null) {
      const okCodes = options.okCodes ?? [0];
      return { kind: okCodes.includes(code) ? 'ok' : 'failed', result: outcome.result };
    }
    return outcome;
  }

  async batch(server: Server, scripts: readonly string[], options: RunOptions): Promise<RemoteOutcome[]> {
    return Promise.all(scripts.map((s) => this.run(server, s, options)));
  }

  async dispose(): Promise<void> {}

  private addressList(host: FakeHost): string {
    return (
      host.addresses
        .map(
          (a, i) =>
            `${i + 2}: ${a.interface}    inet ${a.address}/${a.prefix} brd 10.77.0.255 scope global ${a.interface}\\       valid_lft forever preferred_lft forever`,
        )
        .join('\n') + '\n'
    );
  }

  private interpret(name: string, host: FakeHost, script: string): RemoteOutcome {
    const state = () => `--- lifeboat: state\n${this.addressList(host)}`;
    const lock = runLockScript(this.runRoot, name, script);
    if (lock) return lock;
    const syncMark = syncPauseAnswer(host, script);
    if (syncMark) return ok(syncMark);
    const vip = /awk -v a='([0-9a-f.:]+)'/.exec(script)?.[1];
    if (script.startsWith('held=$(ip -o addr show')) {
      const before = host.addresses.length;
      host.addresses = host.addresses.filter((a) => a.address !== vip);
      return ok(`${before === host.addresses.length ? 'lifeboat: not held\n' : ''}${state()}`);
    }
    const probe = interpretVipProbe(this, name, script, () => this.addressList(host));
    if (probe) return ok(probe.stdout, probe.code);
    if (script.startsWith('if ! ip -o addr show')) {
      if (!host.addresses.some((a) => a.address === vip))
        return ok('lifeboat: this host does not hold the VIP: refusing to copy\n', 97);
      const target = /@'([0-9a-z.:-]+)':/.exec(script)?.[1];
      const receiver =
        [...this.hosts.values()].find((h) => h.addresses.some((a) => a.address === target)) ??
        this.hosts.get(target ?? '');
      if (receiver) for (const [path, content] of host.files) receiver.files.set(path, content);
      return ok('');
    }
    if (script.includes('rsync -a -s -n --delete')) return ok('*deleting   old.txt\n');
    if (script.startsWith('ip -o addr show') || script === 'ip -o addr show') {
      const pg = host.postgres;
      const pgLine = script.includes('--- lifeboat: postgres')
        ? `--- lifeboat: postgres\n${pg && pg.running ? `${pg.inRecovery ? 't' : 'f'}|${pg.inRecovery ? pg.lagSeconds : 0}\n` : 'psql: error: connection refused\n'}`
        : '';
      return ok(this.addressList(host) + pgLine);
    }
    // PostgreSQL scripts first find the cluster and pg_ctl, and stop when they cannot.
    const pgFound = script.startsWith('pgv=$(cat -- ') ? findAnswer(host) : null;
    if (pgFound && pgFound.code !== 0) return ok(pgFound.text, pgFound.code);
    const found = pgFound?.text ?? '';
    if (
      (pgFound && script.includes('-m fast -w -t 60 stop')) ||
      (pgFound && /\n(systemctl|rcctl) stop /.test(script))
    ) {
      const pg = host.postgres;
      if (pg) pg.running = pg.ctlStatusAfterStop === 0;
      const code = pg?.ctlStatusAfterStop ?? 3;
      if (pg?.restartsAfterStop) pg.running = true;
      return ok(`${found}lifeboat: pg_ctl status ${code}\n`);
    }
    if (pgFound && !script.includes(' -c '))
      return ok(`${found}lifeboat: pg_ctl status ${host.postgres?.running ? 0 : 3}\n`);
    if (script.includes('pg_is_in_recovery(), case')) {
      const pg = host.postgres;
      if (!pg?.running) return ok(found, 2);
      return ok(`${found}${pg.inRecovery ? 't' : 'f'}|${pg.inRecovery ? pg.lagSeconds : 0}\n`);
    }
    if (script.includes('pg_promote')) {
      if (host.postgres?.promoteTimesOut) return ok(`${found}f\n`);
      if (host.postgres) host.postgres.inRecovery = false;
      return ok(`${found}t\n`);
    }
    if (script.includes("'select pg_is_in_recovery()' -c 'select txid_current()'")) {
      const pg = host.postgres;
      return pg && !pg.inRecovery && pg.running ? ok(`${found}f\n1234\n`) : ok(`${found}t\n`, 1);
    }
    const unit = /systemctl (stop|start|restart) -- '([^']+)'/.exec(script);
    if (unit && host.installedUnits && !host.installedUnits.has(unit[2])) return ok('lifeboat: not-found\n', 5);
    if (unit) {
      if (unit[1] === 'stop') host.activeUnits.delete(unit[2]);
      else host.activeUnits.add(unit[2]);
      return ok(host.activeUnits.has(unit[2]) ? 'active\n' : 'inactive\n');
    }
    const active = /systemctl is-active --quiet -- '([^']+)'/.exec(script);
    if (active) return ok('', host.activeUnits.has(active[1]) ? 0 : 3);
    return ok('');
  }
}

/** The answer of the scheduled sync's pause, resume and pause-state scripts (actions/sync-pause.ts); no copy ever runs here. */
function syncPauseAnswer(host: FakeHost, script: string): string | null {
  if (!script.includes('lifeboat-sync-pause:')) return null;
  if (script.includes(': > "$d/paused"')) host.syncPaused = true;
  else if (script.includes('rm -f "$d/paused"')) host.syncPaused = false;
  const resumed = !host.syncPaused && script.includes('rm -f "$d/paused"');
  return `lifeboat-sync-pause: ${host.syncPaused ? 'paused' : resumed ? 'resumed' : 'not paused'}\n`;
}
