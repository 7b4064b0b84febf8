/**
 * A step environment for the re-protect actions whose hosts are scripted per test: db-a (the old
 * primary, to rebuild) and db-b (the primary now, holding the VIP). Each script is answered by
 * what it is (pg_rewind, pg_basebackup, pg_controldata, …), and each answer can be made to fail
 * like a real host (a tool exiting non-zero, a read cut short, a host that does not answer).
 */
import { Server, ServiceGroup } from '../../../shared/domain';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import type { StepEnvironment } from '../../../electron/failover/actions';

export interface ScriptedCall {
  host: string;
  purpose: string;
  script: string;
  readOnly: boolean;
}

export type Answer = { stdout: string; code?: number } | RemoteOutcome;

const section = (name: string, text: string, code = 0) =>
  `--- lifeboat: begin ${name}\n${text}\n\n--- lifeboat: end ${name} ${code}`;
const found = 'lifeboat: cluster 15\nlifeboat: bin /usr/lib/postgresql/15/bin';

/** The answers of a healthy pair: db-b a primary holding the VIP, db-a stopped with wal_log_hints on. */
export function healthyAnswers(): Record<string, (host: string) => Answer> {
  return {
    addresses: (host) => ({
      stdout: [
        `2: eth0    inet 10.77.0.${host === 'db-a' ? 21 : 22}/24 brd 10.77.0.255 scope global eth0`,
        ...(host === 'db-b' ? ['2: eth0    inet 10.77.0.20/24 scope global secondary eth0'] : []),
      ].join('\n'),
    }),
    primary: () => ({ stdout: `${found}\n${section('primary', 'false|on')}` }),
    controldata: () => ({
      stdout: `${found}\nlifeboat: pg_ctl status 3\n${section('controldata', 'Database cluster state:               shut down\nData page checksum version:           0\nwal_log_hints setting:                on')}`,
    }),
    stop: () => ({ stdout: `${found}\nlifeboat: pg_ctl status 3` }),
    rewind: () => ({ stdout: `${found}\npg_rewind: Done!` }),
    basebackup: () => ({
      stdout: `${found}\nlifeboat: the old data directory is kept at /srv/pgdata.lifeboat-20261205T080000Z`,
    }),
    config: () => ({ stdout: '1' }),
    start: () => ({ stdout: `${found}\nlifeboat: pg_ctl status 0` }),
    receiver: () => ({ stdout: `${found}\n${section('receiver', 'recovery|true\nreceiver|streaming|10.77.0.22')}` }),
    senders: () => ({ stdout: `${found}\n${section('senders', 'sender|db-a|streaming|10.77.0.21')}` }),
  };
}

/** Which answer a script gets: by the tool or query it runs. */
function kindOf(script: string): string {
  if (script.includes('pg_basebackup')) return 'basebackup';
  if (script.includes('pg_rewind')) return 'rewind';
  if (script.includes('pg_controldata')) return 'controldata';
  if (script.includes('full_page_writes')) return 'primary';
  if (script.includes('standby.signal')) return 'config';
  if (script.includes('pg_stat_wal_receiver')) return 'receiver';
  if (script.includes('pg_stat_replication')) return 'senders';
  if (script.includes('systemctl stop')) return 'stop';
  if (script.includes('systemctl start')) return 'start';
  if (script.startsWith('ip -o addr show')) return 'addresses';
  throw new Error(`no answer scripted for: ${script.slice(0, 80)}`);
}

export interface ScriptedEnv {
  env: StepEnvironment;
  calls: ScriptedCall[];
  info: string[];
  answers: Record<string, (host: string) => Answer>;
  servers: Map<number, Server>;
}

export const DB_A = 21;
export const DB_B = 22;

/** The environment of a step on db-a (the member to rebuild) in the group db (VIP 10.77.0.20). */
export function scriptedEnv(overrides: Record<string, (host: string) => Answer> = {}): ScriptedEnv {
  const server = (id: number, name: string) =>
    Server.parse({ id, name, addresses: [`10.77.0.${id}`], ssh: { host: `10.77.0.${id}` } });
  const servers = new Map([
    [DB_A, server(DB_A, 'db-a')],
    [DB_B, server(DB_B, 'db-b')],
  ]);
  const group = ServiceGroup.parse({
    id: 1,
    name: 'db',
    members: [
      { serverId: DB_A, role: 'primary' },
      { serverId: DB_B, role: 'standby' },
    ],
    vips: [
      {
        address: '10.77.0.20',
        prefix: 24,
        interfaces: [
          { serverId: DB_A, interface: 'eth0' },
          { serverId: DB_B, interface: 'eth0' },
        ],
      },
    ],
    data: { kind: 'postgres', dataDir: '/srv/pgdata', database: 'crm' },
    processes: ['postgresql@15-main'],
  });
  const answers = { ...healthyAnswers(), ...overrides };
  const calls: ScriptedCall[] = [];
  const info: string[] = [];
  const env: StepEnvironment = {
    servers,
    group,
    server: servers.get(DB_A)!,
    rpoMinutes: 5,
    acknowledgedDeletions: null,
    acknowledgedLag: null,
    reachable: () => true,
    async exec(target, purpose, script, options) {
      calls.push({ host: target.name, purpose, script, readOnly: options.readOnly });
      const answer = answers[kindOf(script)](target.name);
      if ('kind' in answer) return answer;
      const code = answer.code ?? 0;
      const okCodes = options.okCodes ?? [0];
      return {
        kind: okCodes.includes(code) ? 'ok' : 'failed',
        result: { code, stdout: answer.stdout, stderr: '', truncated: false, durationMs: 1 },
      };
    },
    info: (text) => void info.push(text),
    remainingMs: () => 60_000,
    sleep: async () => undefined,
  };
  return { env, calls, info, answers, servers };
}

/** Every command that changed something (not a read). */
export const changes = (calls: readonly ScriptedCall[]) => calls.filter((c) => !c.readOnly);
