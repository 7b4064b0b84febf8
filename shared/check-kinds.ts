/**
 * Every kind of health check, in one list: what it is called, where it runs, its parameters (zod)
 * and how the editor asks for them. The kinds, the check unions and the editor are derived from
 * this list; the scripts and judgements live in electron/checks/, one module per kind. Adding a
 * kind is one entry here, one module there and one line in its registry (docs/adding-a-check-kind.md).
 */
import { z } from 'zod';
import { AbsolutePath, DatabaseName, HostName, Port, UnitName, UserName } from './domain';
import { HttpUrl } from './http-url';

/** A table a restore test counts: [schema.]name in lower case (it goes into SQL unquoted). */
export const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

/** Where a kind runs: on one server, on the members of a group, or either. */
export type CheckScope = 'server' | 'group' | 'either';

/** One parameter's field in the editor. */
export interface ParamField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'list' | 'select';
  options?: readonly string[];
  hint?: string;
  /** Empty means "none" (null) rather than "the default". */
  nullable?: boolean;
}

/** What shared code knows of one kind. */
export interface CheckKindSpec<P extends z.ZodType = z.ZodType> {
  /** One line for the editor and the CLI. */
  label: string;
  scope: CheckScope;
  /** The parameters. Every field that reaches a script is an allowlisted type. */
  params: P;
  /** The editor's fields for the parameters, in order. */
  fields: readonly ParamField[];
  /** What the editor calls the server, when not "Server" (a probe runs from it). */
  serverLabel?: string;
  /** The metric the history chart draws (a number the kind's results carry). */
  chart: { key: string; label: string };
}

const spec = <P extends z.ZodType>(s: CheckKindSpec<P>) => s;

const Percent = z.number({ error: 'enter a percentage' }).min(0, '0 % at least').max(100, '100 % at most');
/** Warning and failure levels where higher is worse: the warning may not be above the failure. */
function levels<T extends Record<string, unknown>>(warn: keyof T & string, fail: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx) => {
    if ((value[warn] as number) > (value[fail] as number))
      ctx.addIssue({ code: 'custom', message: 'the warning level must not be above the failure level', path: [warn] });
  };
}
const percentFields = (what: string): ParamField[] => [
  { key: 'warnPercent', label: `Warn at (% ${what})`, type: 'number' },
  { key: 'failPercent', label: `Fail at (% ${what})`, type: 'number' },
];

/** Each kind, keyed by its name. The order is the editor's. */
export const CHECK_KIND_SPECS = {
  tcp: spec({
    label: 'TCP port open (probed from a server)',
    chart: { key: 'open', label: 'open' },
    scope: 'server',
    serverLabel: 'Probe from server',
    params: z.object({ host: HostName, port: Port }).strict(),
    fields: [
      {
        key: 'host',
        label: 'Host or address',
        type: 'text',
        hint: 'A member, a VIP, or any host the server can reach',
      },
      { key: 'port', label: 'Port', type: 'number' },
    ],
  }),
  http: spec({
    label: 'HTTP status and body text (probed from a server)',
    chart: { key: 'httpStatus', label: 'HTTP status' },
    scope: 'server',
    serverLabel: 'Probe from server',
    params: z
      .object({
        url: HttpUrl,
        expectStatus: z
          .int('a whole number')
          .min(100, 'an HTTP status: 100 to 599')
          .max(599, 'an HTTP status: 100 to 599')
          .default(200),
        bodyContains: z
          .string()
          .max(200, '200 characters at most')
          .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'no control characters or new lines')
          .default(''),
      })
      .strict(),
    fields: [
      { key: 'url', label: 'URL', type: 'text', hint: 'On a member or a VIP, e.g. http://10.0.0.10/health' },
      { key: 'expectStatus', label: 'Expected status', type: 'number', hint: '200 unless set' },
      { key: 'bodyContains', label: 'Text the page must contain', type: 'text' },
    ],
  }),
  ssh: spec({
    label: 'SSH reachability and latency',
    chart: { key: 'latencyMs', label: 'latency (ms)' },
    scope: 'server',
    params: z.object({ warnLatencyMs: z.int().min(1).max(60_000).default(1000) }).strict(),
    fields: [{ key: 'warnLatencyMs', label: 'Warn above (ms)', type: 'number' }],
  }),
  service: spec({
    label: 'Service active (systemd unit state, OpenBSD rcctl, or a process name)',
    chart: { key: 'runningCount', label: 'members running it' },
    scope: 'either',
    params: z
      .object({ unit: UnitName, manager: z.enum(['auto', 'systemd', 'rcctl', 'process']).default('auto') })
      .strict(),
    fields: [
      { key: 'unit', label: 'Service (systemd unit or rc.d name; a process name with "process")', type: 'text' },
      {
        key: 'manager',
        label: 'How to tell it runs',
        type: 'select',
        options: ['auto', 'systemd', 'rcctl', 'process'],
        hint: 'auto: systemd, else rcctl; a process name only when chosen',
      },
    ],
  }),
  disk: spec({
    label: 'Disk space used',
    chart: { key: 'usedPercent', label: 'used (%)' },
    scope: 'server',
    params: z
      .object({ path: AbsolutePath.default('/'), warnPercent: Percent.default(80), failPercent: Percent.default(90) })
      .strict()
      .superRefine(levels('warnPercent', 'failPercent')),
    fields: [{ key: 'path', label: 'Path', type: 'text', hint: '/ unless set' }, ...percentFields('used')],
  }),
  load: spec({
    label: 'Load per CPU core',
    chart: { key: 'perCore', label: 'load per core' },
    scope: 'server',
    params: z
      .object({
        warnPerCore: z.number().positive().max(1000).default(1.5),
        failPerCore: z.number().positive().max(1000).default(3),
      })
      .strict()
      .superRefine(levels('warnPerCore', 'failPerCore')),
    fields: [
      { key: 'warnPerCore', label: 'Warn at (load per core)', type: 'number' },
      { key: 'failPerCore', label: 'Fail at (load per core)', type: 'number' },
    ],
  }),
  memory: spec({
    label: 'Memory used',
    chart: { key: 'usedPercent', label: 'used (%)' },
    scope: 'server',
    params: z
      .object({ warnPercent: Percent.default(85), failPercent: Percent.default(95) })
      .strict()
      .superRefine(levels('warnPercent', 'failPercent')),
    fields: percentFields('used'),
  }),
  vip: spec({
    label: 'Which member holds each virtual IP',
    scope: 'group',
    chart: { key: 'maxHolders', label: 'holders' },
    params: z.object({}).strict(),
    fields: [],
  }),
  postgres: spec({
    label: 'PostgreSQL roles and replication lag',
    chart: { key: 'lagSeconds', label: 'replication lag (s)' },
    scope: 'group',
    params: z
      .object({
        /** Null: from the service's RPO (warn at half of it, fail at it), else 60 s / 300 s. */
        warnLagSeconds: z.number().nonnegative().nullable().default(null),
        failLagSeconds: z.number().nonnegative().nullable().default(null),
        warnLagBytes: z.int().nonnegative().nullable().default(null),
        failLagBytes: z.int().nonnegative().nullable().default(null),
        /** Directory of the server's Unix socket, when not the client's default. */
        socketDir: AbsolutePath.nullable().default(null),
      })
      .strict(),
    fields: [
      {
        key: 'warnLagSeconds',
        label: 'Warn at lag (s)',
        type: 'number',
        nullable: true,
        hint: 'Empty: half of the service RPO',
      },
      {
        key: 'failLagSeconds',
        label: 'Fail at lag (s)',
        type: 'number',
        nullable: true,
        hint: 'Empty: the service RPO',
      },
      { key: 'warnLagBytes', label: 'Warn at lag (bytes)', type: 'number', nullable: true },
      { key: 'failLagBytes', label: 'Fail at lag (bytes)', type: 'number', nullable: true },
      { key: 'socketDir', label: 'Socket directory', type: 'text', nullable: true, hint: "Empty: psql's default" },
    ],
  }),
  freshness: spec({
    label: 'Age of the newest file (or of one file, or of the last good scheduled sync) against the RPO',
    chart: { key: 'ageMinutes', label: 'age (min)' },
    scope: 'server',
    params: z
      .object({
        path: AbsolutePath,
        /** sync-stamp: path is the scheduled sync's state directory (/var/lib/lifeboat/sync/GROUP). */
        mode: z.enum(['newest-file', 'file', 'sync-stamp']).default('newest-file'),
        /** Null: the service's RPO. */
        maxAgeMinutes: z.int().positive().max(525_600).nullable().default(null),
      })
      .strict(),
    fields: [
      { key: 'path', label: 'Path', type: 'text' },
      {
        key: 'mode',
        label: 'Age of',
        type: 'select',
        options: ['newest-file', 'file', 'sync-stamp'],
        hint: 'sync-stamp: the last good run of the scheduled sync (path: /var/lib/lifeboat/sync/GROUP)',
      },
      {
        key: 'maxAgeMinutes',
        label: 'Older than this fails (min)',
        type: 'number',
        nullable: true,
        hint: 'Empty: the service RPO',
      },
    ],
  }),
  backup: spec({
    label: 'Backups: where they land and how fresh the newest must be',
    chart: { key: 'ageHours', label: 'newest backup age (h)' },
    scope: 'server',
    serverLabel: 'Server the backups land on',
    params: z
      .object({
        /** The directory backups land in (its newest file counts), or one backup file. */
        path: AbsolutePath,
        maxAgeHours: z.int('whole hours').min(1, '1 hour at least').max(8760, 'a year at most').default(26),
        /** A smaller newest file is an empty or cut backup. */
        minBytes: z.int('whole bytes').min(0).max(1e15).default(1),
      })
      .strict(),
    fields: [
      { key: 'path', label: 'Where backups land (directory or file)', type: 'text' },
      { key: 'maxAgeHours', label: 'The newest may be at most (hours)', type: 'number', hint: '26 unless set' },
      { key: 'minBytes', label: 'Smallest plausible backup (bytes)', type: 'number' },
    ],
  }),
  restore: spec({
    label: 'Restore test: restore a sample from the newest backup and compare it',
    chart: { key: 'passed', label: 'passed' },
    scope: 'server',
    serverLabel: 'Restore on (a member or a restore host)',
    params: z
      .object({
        /** file: extract one file from a tar archive and compare checksums; postgres: pg_restore a pg_dump -Fc into a scratch database and compare row counts. */
        method: z.enum(['file', 'postgres']).default('file'),
        /** The backup (an archive or a dump), or the directory whose newest file is the backup. */
        backupPath: AbsolutePath,
        /** file: the member's name inside the archive, as `tar -tf` lists it. */
        sample: z
          .string()
          .max(1000)
          .refine(
            (v) => v === '' || (/^[A-Za-z0-9_.][A-Za-z0-9_./-]*$/.test(v) && !v.split('/').includes('..')),
            'a relative path inside the archive: letters, digits, _ . / - only, no ".."',
          )
          .default(''),
        /** file: the live file whose sha256 the restored sample must match. */
        compareWith: AbsolutePath.nullable().default(null),
        /** postgres: the live database, and the tables whose row counts are compared. */
        database: DatabaseName.default('postgres'),
        tables: z.array(z.string().regex(TABLE_NAME, 'a table: schema.name in lower case')).max(32).default([]),
        osUser: UserName.default('postgres'),
      })
      .strict()
      .superRefine((value, ctx) => {
        if (value.method === 'file' && value.sample === '')
          ctx.addIssue({ code: 'custom', path: ['sample'], message: 'name the file to restore from the archive' });
        if (value.method === 'file' && value.compareWith === null)
          ctx.addIssue({ code: 'custom', path: ['compareWith'], message: 'name the live file to compare with' });
        if (value.method === 'postgres' && value.tables.length === 0)
          ctx.addIssue({ code: 'custom', path: ['tables'], message: 'list at least one table to count' });
      }),
    fields: [
      { key: 'method', label: 'Restore', type: 'select', options: ['file', 'postgres'] },
      { key: 'backupPath', label: 'Backup (file, or the directory of the newest)', type: 'text' },
      { key: 'sample', label: 'File inside the archive (file)', type: 'text', hint: 'As tar -tf lists it' },
      { key: 'compareWith', label: 'Live file to compare with (file)', type: 'text', nullable: true },
      { key: 'database', label: 'Live database (postgres)', type: 'text' },
      { key: 'tables', label: 'Tables to count (postgres)', type: 'list', hint: 'One per line' },
      { key: 'osUser', label: 'OS user for PostgreSQL', type: 'text' },
    ],
  }),
  drift: spec({
    label: 'Files that differ between the members',
    chart: { key: 'differingCount', label: 'files differing' },
    scope: 'group',
    params: z
      .object({
        paths: z.array(AbsolutePath).min(1, 'list at least one file or directory').max(64),
        maxFiles: z.int().min(1).max(10_000).default(1000),
        /** Differences are `warn` (shown, no alert) unless the files must match (`fail`). */
        onDifference: z.enum(['warn', 'fail']).default('warn'),
      })
      .strict(),
    fields: [
      { key: 'paths', label: 'Files and directories to compare', type: 'list', hint: 'One per line' },
      { key: 'maxFiles', label: 'At most this many files', type: 'number' },
      { key: 'onDifference', label: 'A difference is', type: 'select', options: ['warn', 'fail'] },
    ],
  }),
  clock: spec({
    label: "Clock offset (chrony or ntpd, else against Lifeboat's own clock)",
    scope: 'server',
    chart: { key: 'offsetMs', label: 'offset (ms)' },
    params: z
      .object({
        warnMs: z.number().positive().max(3_600_000).default(500),
        failMs: z.number().positive().max(3_600_000).default(5000),
      })
      .strict()
      .superRefine(levels('warnMs', 'failMs')),
    fields: [
      { key: 'warnMs', label: 'Warn at (ms off)', type: 'number', hint: '500 unless set' },
      { key: 'failMs', label: 'Alarm at (ms off)', type: 'number', hint: '5000 unless set' },
    ],
  }),
} as const;

/** The name of a kind. */
export type CheckKind = keyof typeof CHECK_KIND_SPECS;
/** Every kind, in the list's order. */
export const CHECK_KINDS = Object.keys(CHECK_KIND_SPECS) as [CheckKind, ...CheckKind[]];
