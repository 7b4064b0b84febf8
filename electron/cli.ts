/**
 * The `lifeboat` command. Every subcommand goes through the same dispatcher as the window, so
 * input is validated by the contract and errors read the same everywhere.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { openApp, APP_VERSION, type App } from './app';
import { defaultCliWorkspacePath } from './db/connection';
import { startWebHost } from './host/web';
import { METHOD_NAMES, methods, type MethodName } from '../shared/contract';
import type { Envelope } from '../shared/errors';
import { formatPath } from '../shared/errors';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Thrown to end a command with an exit code after its message has been printed. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value)) throw new InvalidArgumentError('the port must be a whole number from 0 to 65535');
  const n = Number(value);
  if (n > 65535) throw new InvalidArgumentError('the port must be a whole number from 0 to 65535');
  return n;
}

export function distDir(): string {
  // dist/electron/cli.cjs → dist/
  return path.resolve(__dirname, '..');
}

/** Print an error envelope the way a person reads it; field issues one per line. */
export function describeError(envelope: Extract<Envelope<unknown>, { ok: false }>): string {
  const lines = [`error (${envelope.error.code}): ${envelope.error.message}`];
  for (const issue of envelope.error.issues ?? []) {
    const line = `${formatPath(issue.path) || '-'}: ${issue.message}`;
    if (line !== envelope.error.message && issue.message !== envelope.error.message) lines.push(`  ${line}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = new Command('lifeboat')
    .description('Lifeboat: keep the business running when a server dies')
    .version(APP_VERSION)
    .option('--db <file>', 'the workspace file (default: $XDG_DATA_HOME/lifeboat/workspace.db)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const dbPath = () => path.resolve((program.opts().db as string | undefined) ?? defaultCliWorkspacePath());
  const withApp = async <T>(fn: (app: App) => Promise<T>): Promise<T> => {
    const app = openApp(dbPath(), (m) => io.err(m));
    try {
      return await fn(app);
    } finally {
      app.dispose();
    }
  };
  const call = async (app: App, method: MethodName, payload: unknown): Promise<unknown> => {
    const envelope = await app.dispatcher.dispatch(method, payload);
    if (!envelope.ok) {
      io.err(describeError(envelope));
      throw new Exit(1);
    }
    return envelope.value;
  };

  program
    .command('serve')
    .description('serve the console on 127.0.0.1 with a per-start token (headless mode)')
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort, 0)
    .action(async (opts: { port: number }) => {
      const app = openApp(dbPath(), (m) => io.err(m));
      const host = await startWebHost({ dispatcher: app.dispatcher, staticDir: path.join(distDir(), 'renderer'), port: opts.port, log: (m) => io.err(m) });
      io.out(`Lifeboat console for ${dbPath()}\nOpen: ${host.url}\n(listening on 127.0.0.1 only; reach it from elsewhere through an SSH tunnel; Ctrl+C stops)`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await host.close();
      app.dispose();
    });

  program
    .command('init')
    .description('set up the workspace: empty, or the example call centre')
    .option('--example', 'load the example company')
    .option('--company <name>', 'company name')
    .option('--force', 'replace a workspace that already has content')
    .action((opts: { example?: boolean; company?: string; force?: boolean }) =>
      withApp(async (app) => {
        const info = (await call(app, 'workspace.info', {})) as { initialised: boolean };
        if (info.initialised && !opts.force) {
          io.err(`${dbPath()} is already set up; add --force to replace its content`);
          throw new Exit(1);
        }
        await call(app, 'workspace.create', { template: opts.example ? 'example' : 'empty', companyName: opts.company });
        io.out(`workspace ${dbPath()} is ready${opts.example ? ' with the example company' : ''}`);
      }),
    );

  program
    .command('export')
    .description('write the whole workspace as a plan file (YAML)')
    .option('--out <file>', 'where to write (default: standard output)')
    .action((opts: { out?: string }) =>
      withApp(async (app) => {
        const { yaml } = (await call(app, 'workspace.exportPlan', {})) as { yaml: string };
        if (!opts.out) return void io.out(yaml);
        const tmp = `${opts.out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, yaml, { mode: 0o644 });
        fs.renameSync(tmp, opts.out);
        io.out(`wrote ${opts.out}`);
      }),
    );

  program
    .command('import')
    .description('replace the workspace with a plan file (all or nothing)')
    .argument('<file>', 'plan file (YAML)')
    .action((file: string) =>
      withApp(async (app) => {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat || !stat.isFile()) {
          io.err(`error: ${file} is not a file`);
          throw new Exit(2);
        }
        if (stat.size > 10 * 1024 * 1024) {
          io.err(`error: ${file} is ${(stat.size / 1048576).toFixed(1)} MiB; plan files are 10 MiB at most. Nothing was imported.`);
          throw new Exit(1);
        }
        const summary = (await call(app, 'workspace.importPlan', { yaml: fs.readFileSync(file, 'utf8') })) as Record<string, number>;
        io.out(`imported ${file}: ${Object.entries(summary).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      }),
    );

  program
    .command('call')
    .description('call any API method with a JSON payload and print the JSON result')
    .argument('<method>', `one of: ${METHOD_NAMES.join(', ')}`)
    .argument('[json]', 'the payload as JSON', '{}')
    .action((method: string, json: string) =>
      withApp(async (app) => {
        if (!(METHOD_NAMES as string[]).includes(method)) {
          io.err(`error: unknown method "${method}". Known: ${METHOD_NAMES.join(', ')}`);
          throw new Exit(2);
        }
        let payload: unknown;
        try {
          payload = JSON.parse(json);
        } catch {
          io.err('error: the payload is not valid JSON');
          throw new Exit(2);
        }
        io.out(JSON.stringify(await call(app, method as MethodName, payload), null, 2));
      }),
    );

  program
    .command('methods')
    .description('list the API methods')
    .action(() => {
      for (const name of METHOD_NAMES) io.out(`${name.padEnd(24)} ${methods[name].summary}`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const e = error as { code?: string; message?: string };
    io.err(`error${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(error)}`);
    return 1;
  }
}
