/** Workspace commands: serve, init, export, import, call, methods. */
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { openApp } from '../app';
import { startLiveHost } from '../live';
import { refusingSecretStore } from '../ssh/credentials';
import { fileOrEnvAlertSecrets, passwordSourcesFromEnv } from '../checks/alert-secrets';
import { startWebHost } from '../host/web';
import { loadOrCreateToken, rotateToken } from '../host/token-file';
import { METHOD_NAMES, methods, type MethodName } from '../../shared/contract';
import { Exit, parsePort, type CliEnv } from './env';

/** dist/electron/cli.cjs → dist/ */
export function distDir(): string {
  return path.resolve(__dirname, '..');
}

/** Why `serve` keeps no SSH password: the reason every refusal gives. */
export const HEADLESS_PASSWORDS =
  '`lifeboat serve` has no Electron safeStorage to encrypt SSH passwords with, so it neither stores nor uses them; store the password from the Lifeboat desktop app, or log in with a key file or the SSH agent';

/** How `serve` gets its token: new at every start, or kept in a 0600 file. */
export interface ServeOptions {
  /** Keep the token in this file (made 0600 on first start, the same at every start after). */
  tokenFile?: string;
  /** Read the SMTP password for alert mail from this file (0600); else $LIFEBOAT_SMTP_PASSWORD_FILE or $LIFEBOAT_SMTP_PASSWORD. */
  smtpPasswordFile?: string;
}

/** What `lifeboat serve --help` adds: how to reach a console that listens on 127.0.0.1 only. */
export const SERVE_HELP = `
The console listens on 127.0.0.1 only. From another machine, reach it through an SSH tunnel:
  ssh -N -L 8470:127.0.0.1:8470 you@watcher          (leave it running)
  then open http://127.0.0.1:8470/?token=TOKEN on your own machine
(with --port 8470 on the watcher; the first 8470 is the port on your side and may be any free one).

An always-on watcher (the lifeboat-server package's lifeboat-serve.service) keeps its token in
/var/lib/lifeboat/serve.token (0600), the same at every start; that package's \`lifeboat\` sets
LIFEBOAT_TOKEN_FILE to it. To read it and to rotate it:
  sudo cat /var/lib/lifeboat/serve.token
  sudo lifeboat serve --rotate-token && sudo systemctl restart lifeboat-serve`;

/**
 * The headless console (`lifeboat serve`): the workspace with its SSH engine and monitoring, served
 * on 127.0.0.1 until `stop` settles; then everything is closed, the web host first.
 */
export async function serveConsole(
  env: CliEnv,
  port: number,
  stop: Promise<void>,
  options: ServeOptions = {},
): Promise<void> {
  // The token file is read before anything starts: a leaked or malformed one stops here.
  const kept = options.tokenFile ? loadOrCreateToken(options.tokenFile) : null;
  const app = openApp(env.dbPath(), (m) => env.io.err(m));
  if (options.smtpPasswordFile)
    app.ctx.alertSecrets = fileOrEnvAlertSecrets({ ...passwordSourcesFromEnv(), file: options.smtpPasswordFile });
  // No desktop here: alerts show in the web UI (and go by email or webhook where set); no safeStorage either.
  const live = startLiveHost(app, {
    notify: null,
    secrets: refusingSecretStore(HEADLESS_PASSWORDS),
    log: (m) => env.io.err(m),
  });
  try {
    const host = await startWebHost({
      dispatcher: app.dispatcher,
      staticDir: path.join(distDir(), 'renderer'),
      port,
      token: kept?.token,
      log: (m) => env.io.err(m),
    });
    // A kept token is not printed: the journal of a service is read by more people than its token file.
    const open = kept
      ? `${host.url.split('?')[0]}?token=… (the token is in ${options.tokenFile}${kept.created ? ', made now' : ''})`
      : host.url;
    env.io.out(
      `Lifeboat console for ${env.dbPath()}\nOpen: ${open}\n(listening on 127.0.0.1 only; reach it from elsewhere through an SSH tunnel, see lifeboat serve --help; Ctrl+C stops)`,
    );
    await stop;
    await host.close();
  } finally {
    await live.dispose();
    app.dispose();
  }
}

/** Signals that end `serve`. */
function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export function registerWorkspaceCommands(program: Command, env: CliEnv): void {
  program
    .command('serve')
    .description('serve the console on 127.0.0.1 with a token (new at every start, or kept in --token-file)')
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort, 0)
    .option(
      '--token-file <file>',
      'keep the token in this file (0600): made on first start, the same at every start (default: $LIFEBOAT_TOKEN_FILE)',
    )
    .option('--rotate-token', 'write a new token into the token file and exit (restart the console to use it)')
    .option(
      '--smtp-password-file <file>',
      'read the SMTP password for alert mail from this file (mode 0600; default: $LIFEBOAT_SMTP_PASSWORD_FILE, else $LIFEBOAT_SMTP_PASSWORD)',
    )
    .addHelpText('after', SERVE_HELP)
    .action(async (opts: { port: number; tokenFile?: string; rotateToken?: boolean; smtpPasswordFile?: string }) => {
      // The server package's `lifeboat` sets LIFEBOAT_TOKEN_FILE to the service's token file.
      const tokenFile = opts.tokenFile ?? (process.env.LIFEBOAT_TOKEN_FILE || undefined);
      if (opts.rotateToken) {
        if (!tokenFile) {
          env.io.err(
            "error: --rotate-token needs --token-file <file> or LIFEBOAT_TOKEN_FILE (the service's is /var/lib/lifeboat/serve.token)",
          );
          throw new Exit(2);
        }
        rotateToken(tokenFile);
        env.io.out(
          `wrote a new token to ${tokenFile} (0600); a console already running keeps the old one until it restarts (systemctl restart lifeboat-serve)`,
        );
        return;
      }
      await serveConsole(env, opts.port, untilStopped(), { tokenFile, smtpPasswordFile: opts.smtpPasswordFile });
    });

  program
    .command('init')
    .description('set up the workspace: empty, or the example call centre')
    .option('--example', 'load the example company')
    .option('--company <name>', 'company name')
    .option('--force', 'replace a workspace that already has content')
    .action((opts: { example?: boolean; company?: string; force?: boolean }) =>
      env.withApp(async (app) => {
        const info = await env.call(app, 'workspace.info', {});
        if (info.initialised && !opts.force) {
          env.io.err(`${env.dbPath()} is already set up; add --force to replace its content`);
          throw new Exit(1);
        }
        await env.call(app, 'workspace.create', {
          template: opts.example ? 'example' : 'empty',
          companyName: opts.company,
        });
        env.io.out(`workspace ${env.dbPath()} is ready${opts.example ? ' with the example company' : ''}`);
      }),
    );

  program
    .command('export')
    .description('write the whole workspace as a plan file (YAML)')
    .option('--out <file>', 'where to write (default: standard output)')
    .action((opts: { out?: string }) =>
      env.withApp(async (app) => {
        const { yaml } = await env.call(app, 'workspace.exportPlan', {});
        if (!opts.out) return void env.io.out(yaml);
        const tmp = `${opts.out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, yaml, { mode: 0o644 });
        fs.renameSync(tmp, opts.out);
        env.io.out(`wrote ${opts.out}`);
      }),
    );

  program
    .command('import')
    .description('replace the workspace with a plan file (all or nothing)')
    .argument('<file>', 'plan file (YAML)')
    .action((file: string) =>
      env.withApp(async (app) => {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat || !stat.isFile()) {
          env.io.err(`error: ${file} is not a file`);
          throw new Exit(2);
        }
        if (stat.size > 10 * 1024 * 1024) {
          env.io.err(
            `error: ${file} is ${(stat.size / 1048576).toFixed(1)} MiB; plan files are 10 MiB at most. Nothing was imported.`,
          );
          throw new Exit(1);
        }
        const { dropped, ...counts } = await env.call(app, 'workspace.importPlan', {
          yaml: fs.readFileSync(file, 'utf8'),
        });
        env.io.out(
          `imported ${file}: ${Object.entries(counts)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}`,
        );
        for (const line of dropped) env.io.out(`removed: ${line}`);
      }),
    );

  program
    .command('call')
    .description('call any API method with a JSON payload and print the JSON result')
    .argument('<method>', `one of: ${METHOD_NAMES.join(', ')}`)
    .argument('[json]', 'the payload as JSON', '{}')
    .action((method: string, json: string) =>
      env.withApp(async (app) => {
        if (!(METHOD_NAMES as string[]).includes(method)) {
          env.io.err(`error: unknown method "${method}". Known: ${METHOD_NAMES.join(', ')}`);
          throw new Exit(2);
        }
        let payload: unknown;
        try {
          payload = JSON.parse(json);
        } catch {
          env.io.err('error: the payload is not valid JSON');
          throw new Exit(2);
        }
        env.io.out(JSON.stringify(await env.call(app, method as MethodName, payload as never), null, 2));
      }),
    );

  program
    .command('methods')
    .description('list the API methods')
    .action(() => {
      for (const name of METHOD_NAMES) env.io.out(`${name.padEnd(24)} ${methods[name].summary}`);
    });
}
