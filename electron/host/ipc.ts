/**
 * The Electron IPC transport: one `invoke` handler per contract method, each on its own channel,
 * each refusing callers that are not the app's own renderer frame; and the dispatcher's events
 * pushed to the app's windows. Validation and errors are the dispatcher's, as for every transport.
 */
import type { IpcMain } from 'electron';
import { METHOD_NAMES, channelOf } from '../../shared/contract/index';
import type { Envelope } from '../../shared/errors';
import type { Dispatcher } from './dispatch';

/** The part of a frame the sender check reads (Electron's WebFrameMain has it). */
export interface SenderFrame {
  readonly url: string;
  readonly parent?: SenderFrame | null;
}

/** Decides whether a frame is the app's own renderer; anything else is refused. */
export type TrustedSender = (frame: SenderFrame | null | undefined) => boolean;

/** A window's contents as far as events are concerned (Electron's WebContents has it). */
export interface EventReceiver {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
  readonly mainFrame: SenderFrame;
}

export interface IpcOptions {
  /** The contents events go to; only those showing the app's renderer receive them. */
  targets?: () => Iterable<EventReceiver>;
  log?: (message: string) => void;
}

const unauthorized: Envelope<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'This call did not come from the Lifeboat window, so it was refused.' },
};

/** Register every contract method on its own channel; returns the function that removes them all. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatcher: Dispatcher,
  isTrustedSender: TrustedSender,
  options: IpcOptions = {},
): () => void {
  const log = options.log ?? (() => {});
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trusted(isTrustedSender, event.senderFrame)) {
        log(`refused IPC ${method} from ${describeFrame(event.senderFrame)}`);
        return unauthorized;
      }
      return dispatcher.dispatch(method, payload);
    });
    channels.push(channel);
  }

  const unsubscribe = dispatcher.subscribe((event, payload) => {
    for (const target of options.targets?.() ?? []) {
      if (target.isDestroyed() || !trusted(isTrustedSender, target.mainFrame)) continue;
      target.send(channelOf(event), payload);
    }
  });

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

// A frame that is gone while we look at it is not trusted: WebFrameMain getters can throw then.
function trusted(check: TrustedSender, frame: SenderFrame | null | undefined): boolean {
  try {
    return check(frame);
  } catch {
    return false;
  }
}

function describeFrame(frame: SenderFrame | null | undefined): string {
  try {
    return frame ? JSON.stringify(frame.url.slice(0, 200)) : 'a frame that no longer exists';
  } catch {
    return 'a frame that no longer exists';
  }
}
