/** The transport inside Electron: the preload's `window.lifeboat` bridge, one function per method. */
import type { Envelope } from '../../../shared/errors';
import type { EventName, MethodName } from '../../../shared/contract/index';
import type { ConsoleTransport } from './console-transport';

/** The shape the preload exposes; method functions are looked up by contract name. */
export interface LifeboatBridge {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    lifeboat?: LifeboatBridge;
  }
}

type BridgeMethod = (payload: unknown) => Promise<Envelope<unknown>>;

/** Calls go straight to the bridge; IPC events cannot drop, so the stream is always live. */
export function createIpcTransport(bridge: LifeboatBridge): ConsoleTransport {
  return {
    async invoke(method: MethodName, payload: unknown) {
      const call = (bridge as unknown as Record<string, unknown>)[method];
      if (typeof call !== 'function') {
        return { ok: false, error: { code: 'internal', message: `This window's bridge has no method "${method}"; restart Lifeboat` } };
      }
      try {
        return await (call as BridgeMethod)(payload);
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: `The Lifeboat main process did not answer: ${(error as Error)?.message ?? String(error)}` } };
      }
    },
    on(event, listener) {
      return bridge.on(event, listener);
    },
    onConnectionChange(listener) {
      listener('live');
      return () => {};
    },
    dispose() {},
  };
}
