/** Opening a workspace and wiring the services to a dispatcher: shared by the window, `serve` and the CLI. */
import { openWorkspace, type Db } from './db/connection';
import { createDispatcher, type Dispatcher } from './host/dispatch';
import { handlers } from './services/handlers';
import type { ServiceContext } from './ports/context';
import type { EventSink } from './ports/events';
import type { RemoteRunner } from './ports/remote';
import { createSshRunner } from './ssh/runner';
import { createSshRuntime, sshPortOf } from './ssh/runtime';
import { fileOrEnvAlertSecrets, passwordSourcesFromEnv } from './checks/alert-secrets';

export const APP_VERSION: string = (() => {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export interface App {
  ctx: ServiceContext;
  dispatcher: Dispatcher;
  db: Db;
  /** Close everything the app opened (the SSH connections, then the workspace). */
  dispose(): void;
}

/** What the opener may supply instead of the defaults. */
export interface AppOptions {
  /** Runs the remote commands instead of the SSH engine (tests pass a scripted one); null: no engine here. */
  runner?: RemoteRunner | null;
  /** Where events go (the CLI's printer); by default they are dropped until a long-lived host takes them. */
  emit?: EventSink;
}

export function openApp(dbPath: string, log: (message: string) => void = console.error, options: AppOptions = {}): App {
  const db = openWorkspace(dbPath);
  // The context is built here, once, and passed down. Building the SSH runtime connects nothing:
  // connections open on first use. A long-lived host (live.ts) extends the context.
  const ssh = createSshRuntime(db);
  const ctx: ServiceContext = {
    db,
    dbPath,
    appVersion: APP_VERSION,
    runner: options.runner === undefined ? createSshRunner(db, ssh) : options.runner,
    ssh: sshPortOf(db, ssh),
    emit: options.emit ?? (() => undefined),
    recoveries: new Map(),
    prompts: null,
    monitor: null,
    runs: new Map(),
    // Outside the app (no safeStorage): a file or variable; the window and `serve` may replace it.
    alertSecrets: fileOrEnvAlertSecrets(passwordSourcesFromEnv()),
  };
  const dispatcher = createDispatcher(handlers, ctx, log);
  return {
    ctx,
    dispatcher,
    db,
    dispose() {
      ssh.dispose();
      db.close();
    },
  };
}
