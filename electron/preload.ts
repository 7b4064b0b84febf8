/**
 * The preload (sandboxed, context-isolated): exposes `window.lifeboat`, one named function per
 * contract method and `on` for contract events. ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES, channelOf, type EventName } from '../shared/contract/index';
import type { Envelope } from '../shared/errors';
import type { LifeboatBridge } from '../shared/bridge';

export type { LifeboatBridge };

/** Build the bridge over an ipcRenderer; exported for tests, the page only sees the result. */
export function createBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): LifeboatBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    bridge[method] = (payload: unknown) => ipc.invoke(channel, payload) as Promise<Envelope<unknown>>;
  }
  const events = new Set<string>(EVENT_NAMES);
  bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (typeof event !== 'string' || !events.has(event))
      throw new Error(`Unknown Lifeboat event "${String(event).slice(0, 80)}"`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function');
    const channel = channelOf(event);
    // The page never sees the IPC event object (it carries the sender), only the payload; the
    // wrapper is what ipcRenderer holds, so it is what unsubscribing removes.
    const wrapper = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipc.on(channel, wrapper);
    return () => void ipc.removeListener(channel, wrapper);
  };
  return Object.freeze(bridge) as LifeboatBridge;
}

contextBridge.exposeInMainWorld('lifeboat', createBridge(ipcRenderer));
