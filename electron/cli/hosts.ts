/** Host-key commands: trust, untrust, hosts (list pins), import-ssh-config. */
import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { App } from '../app';
import { HOST_KEY_TYPES } from '../../shared/contract/hosts';
import { printable } from '../../shared/validation';
import { Exit, type CliEnv } from './env';

/** Ask one question on the terminal; null when input ends or nobody answers in time. */
export type Ask = (question: string) => Promise<string | null>;

/** A person has this long to answer a confirmation before the command gives up. */
const ANSWER_TIMEOUT_MS = 5 * 60_000;

/** Read one line from standard input. */
export const askOnStdin: Ask = (question) =>
  new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stderr,
      terminal: process.stdin.isTTY === true,
    });
    let answered = false;
    const done = (answer: string | null) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      rl.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), ANSWER_TIMEOUT_MS);
    rl.once('close', () => done(null));
    rl.question(question, (answer) => done(answer));
  });

/** Find a server of the inventory by name, or exit with the names there are. */
async function serverByName(env: CliEnv, app: App, name: string): Promise<{ id: number; name: string }> {
  const { servers } = await env.call(app, 'workspace.snapshot', {});
  const server = servers.find((s) => s.name === name);
  if (!server) {
    env.io.err(
      `error: no server named "${printable(name)}". Servers: ${servers.map((s) => s.name).join(', ') || '(none)'}`,
    );
    throw new Exit(2);
  }
  return server;
}

/** Add trust, untrust, hosts and import-ssh-config; `ask` reads the typed confirmation (stdin by default). */
export function registerHostCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  program
    .command('trust')
    .description("show a server's SSH host key and pin it once you confirm it")
    .argument('<server>', 'server name in the inventory')
    .option('--fingerprint <SHA256:...>', 'pin without asking, only if the server presents exactly this key')
    .action((name: string, opts: { fingerprint?: string }) =>
      env.withApp(async (app) => {
        const server = await serverByName(env, app, name);
        const scan = await env.call(app, 'hosts.scanKey', { serverId: server.id });
        const shown = `${scan.host}:${scan.port} ${scan.keyType} ${scan.fingerprint}`;
        if (scan.status === 'match') return void env.io.out(`${server.name}: already trusted (${shown})`);
        if (scan.status === 'changed') {
          env.io.err(
            `HOST KEY CHANGED for ${server.name} (${scan.host}:${scan.port})\n  pinned:    ${scan.pinned}\n  presented: ${scan.keyType} ${scan.fingerprint}\n` +
              'Nothing was pinned. Check the host out of band; if it was really reinstalled run `lifeboat untrust ' +
              `${server.name}\` and then trust it again.`,
          );
          throw new Exit(1);
        }
        if (opts.fingerprint !== undefined) {
          if (opts.fingerprint !== scan.fingerprint) {
            env.io.err(
              `error: ${server.name} presents ${shown}, not ${printable(opts.fingerprint)}. Nothing was pinned.`,
            );
            throw new Exit(1);
          }
        } else {
          const answer = await ask(`${shown} — type 'yes' to trust: `);
          if (answer?.trim() !== 'yes') {
            env.io.err('not trusted: nothing was pinned');
            throw new Exit(1);
          }
        }
        const keyType = HOST_KEY_TYPES.find((type) => type === scan.keyType);
        if (!keyType) {
          env.io.err(`error: ${server.name} presents a ${printable(scan.keyType)} key, which Lifeboat does not pin`);
          throw new Exit(1);
        }
        const pin = await env.call(app, 'hosts.trust', { serverId: server.id, keyType, fingerprint: scan.fingerprint });
        env.io.out(`trusted ${server.name}: ${pin.host}:${pin.port} ${pin.keyType} ${pin.fingerprint}`);
      }),
    );

  program
    .command('untrust')
    .description("forget a server's pinned host keys (after verifying a reinstall)")
    .argument('<server>', 'server name in the inventory')
    .action((name: string) =>
      env.withApp(async (app) => {
        const server = await serverByName(env, app, name);
        const result = await env.call(app, 'hosts.forget', { serverId: server.id });
        env.io.out(`forgot ${result.forgotten} pinned key(s) of ${server.name} (${result.host}:${result.port})`);
      }),
    );

  program
    .command('hosts')
    .description('list the pinned SSH host keys')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      env.withApp(async (app) => {
        const pins = await env.call(app, 'hosts.pins', {});
        if (opts.json) return void env.io.out(JSON.stringify(pins, null, 2));
        if (pins.length === 0) return void env.io.out('no pinned host keys yet (lifeboat trust SERVER)');
        for (const pin of pins)
          env.io.out(
            `${`${pin.host}:${pin.port}`.padEnd(24)} ${pin.keyType.padEnd(20)} ${pin.fingerprint}  ${pin.pinnedAt} ${pin.pinnedBy}`,
          );
      }),
    );

  program
    .command('import-ssh-config')
    .description('read an SSH client config and show the server drafts it implies (nothing is saved)')
    .argument('[file]', 'the config file', path.join(os.homedir(), '.ssh', 'config'))
    .option('--json', 'print the drafts as JSON')
    .action((file: string, opts: { json?: boolean }) =>
      env.withApp(async (app) => {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) {
          env.io.err(`error: ${file} is not a file`);
          throw new Exit(2);
        }
        if (stat.size > 1024 * 1024) {
          env.io.err(`error: ${file} is larger than 1 MiB; that is not an SSH config`);
          throw new Exit(1);
        }
        const result = await env.call(app, 'hosts.importSshConfig', { text: fs.readFileSync(file, 'utf8') });
        if (opts.json) return void env.io.out(JSON.stringify(result, null, 2));
        for (const host of result.hosts) {
          const ssh = host.draft?.ssh;
          const summary = ssh
            ? `${ssh.user}@${ssh.host}:${ssh.port} ${ssh.auth.kind === 'key' ? ssh.auth.keyPath : ssh.auth.kind}`
            : 'not importable';
          env.io.out(`${host.alias.padEnd(20)} ${summary}${host.jumpAlias ? ` via ${host.jumpAlias}` : ''}`);
          for (const problem of host.problems) env.io.out(`  line ${host.line}: ${problem}`);
        }
        for (const problem of result.problems) env.io.out(`line ${problem.line}: ${problem.message}`);
        env.io.out(
          `${result.hosts.filter((h) => h.draft).length} of ${result.hosts.length} hosts can be added (nothing was saved)`,
        );
      }),
    );
}
