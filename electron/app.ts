/** Opening a workspace and wiring the services to a dispatcher: shared by the window, `serve` and the CLI. */
import { openWorkspace, type Db } from './db/connection';
import { createDispatcher, type Dispatcher } from './host/dispatch';
import { handlers } from './services/handlers';
import type { ServiceContext } from './services/context';

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

export function openApp(dbPath: string, log: (message: string) => void = console.error): App {
  const db = openWorkspace(dbPath);
  const ctx: ServiceContext = { db, dbPath, appVersion: APP_VERSION };
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
