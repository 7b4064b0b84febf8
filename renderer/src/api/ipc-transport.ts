/** The transport inside Electron: the preload's `window.lifeboat` bridge, one function per method. */
import type { BridgeMethod, LifeboatBridge } from '../../../shared/bridge';
import type { MethodName } from '../../../shared/contract/index';
import type { ConsoleTransport } from './console-transport';

declare global {
  interface Window {
    /** Present inside Electron (the preload's bridge), absent in a browser against `lifeboat serve`. */
    lifeboat?: LifeboatBridge;
  }
}

/** Calls go straight to the bridge; IPC events cannot drop, so the stream is always live. */
export function createIpcTransport(bridge: LifeboatBridge): ConsoleTransport {
  return {
    async invoke(method: MethodName, payload: unknown) {
      // An older preload may lack a method this page knows: look it up as data, not by type.
      const call = (bridge as unknown as Record<string, unknown>)[method];
      if (typeof call !== 'function') {
        return {
          ok: false,
          error: { code: 'internal', message: `This window's bridge has no method "${method}"; restart Lifeboat` },
        };
      }
      try {
        return await (call as BridgeMethod)(payload);
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'unavailable',
            message: `The Lifeboat main process did not answer: ${(error as Error)?.message ?? String(error)}`,
          },
        };
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
