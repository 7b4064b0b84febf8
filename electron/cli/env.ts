/** What every CLI command module receives: output, the workspace path, and a way to call the API. */
import { InvalidArgumentError } from 'commander';
import { openApp, type App, type AppOptions } from '../app';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { formatPath, type Envelope } from '../../shared/errors';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Thrown to end a command with an exit code after its message has been printed. */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface CliEnv {
  io: CliIo;
  /** The workspace file chosen by --db or the default. */
  dbPath(): string;
  /** Open the workspace for the length of fn; `options` add to the CLI's own (the command's event sink). */
  withApp<T>(fn: (app: App) => Promise<T>, options?: AppOptions): Promise<T>;
  /** Call a method through the dispatcher; on an error envelope print it and exit 1. */
  call<M extends MethodName>(app: App, method: M, payload: MethodInput<M>): Promise<MethodOutput<M>>;
}

export function createEnv(io: CliIo, dbPath: () => string, appOptions: AppOptions = {}): CliEnv {
  return {
    io,
    dbPath,
    async withApp(fn, options = {}) {
      const app = openApp(dbPath(), (m) => io.err(m), { ...appOptions, ...options });
      try {
        return await fn(app);
      } finally {
        app.dispose();
      }
    },
    async call(app, method, payload) {
      const envelope = await app.dispatcher.dispatch(method, payload);
      if (!envelope.ok) {
        io.err(describeError(envelope));
        throw new Exit(1);
      }
      return envelope.value as never;
    },
  };
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

export function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('the port must be a whole number from 0 to 65535');
  return Number(value);
}
