/** Opening a workspace and wiring the services to a dispatcher: shared by the window, `serve` and the CLI. */
import { openWorkspace, type Db } from './db/connection';
import { createDispatcher, type Dispatcher } from './host/dispatch';
import { handlers } from './services/handlers';
import type { ServiceContext } from './ports/context';
import type { RemoteRunner } from './ports/remote';
import { createSshRunner } from './ssh/runner';

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
  /** Close everything the app opened, in reverse order. */
  dispose(): void;
}

/** What the opener may supply instead of the defaults (tests pass a scripted runner). */
export interface AppOptions {
  runner?: RemoteRunner;
}

/** A runner that builds the workspace's SSH runner on first use, so opening a workspace connects nothing. */
function sshRunnerOnFirstUse(db: Db): RemoteRunner {
  let made: RemoteRunner | null = null;
  const runner = () => (made ??= createSshRunner(db));
  return {
    run: (server, script, options) => runner().run(server, script, options),
    batch: (server, scripts, options) => runner().batch(server, scripts, options),
    dispose: async () => {
      if (made) await made.dispose();
    },
  };
}

export function openApp(dbPath: string, log: (message: string) => void = console.error, options: AppOptions = {}): App {
  const db = openWorkspace(dbPath);
  // The context is built here, once. Its event sink drops events until a long-lived host
  // (live.ts) points it at the dispatcher, whose transports listen.
  const ctx: ServiceContext = {
    db,
    dbPath,
    appVersion: APP_VERSION,
    runner: options.runner ?? sshRunnerOnFirstUse(db),
    emit: () => undefined,
    prompts: null,
  };
  const dispatcher = createDispatcher(handlers, ctx, log);
  return {
    ctx,
    dispatcher,
    db,
    dispose() {
      db.close();
    },
  };
}
