/**
 * The environment a CLI command is registered with (electron/cli/*), over a failover fixture's
 * workspace: the app it opens is the fixture's, and the command's event sink goes into the
 * context as openApp puts it. For tests that drive one command with a scripted person answering.
 */
import type { AppOptions } from '../../../electron/app';
import type { FailoverFixture } from './fixture';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function cliEnv(f: FailoverFixture, io: CliIo) {
  return {
    io,
    dbPath: () => f.ws.file,
    withApp: async <T>(fn: (app: never) => Promise<T>, options?: AppOptions) => {
      if (options?.emit) f.ws.ctx.emit = options.emit;
      return fn({ db: f.ws.db, ctx: f.ws.ctx, dispatcher: f.ws.dispatcher } as never);
    },
    call: async (_app: unknown, method: string, payload: unknown) => f.ws.ok(method, payload),
  };
}
