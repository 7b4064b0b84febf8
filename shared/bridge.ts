/**
 * What the preload exposes to the page as `window.lifeboat`: one named function per contract
 * method and `on` for contract events, never ipcRenderer. Declared here, once, so the preload that
 * builds it and the renderer's IPC transport that calls it cannot drift apart.
 */
import type { EventName, MethodName } from './contract/index';
import type { Envelope } from './errors';

/** One contract method as the bridge carries it: the payload in, the envelope back. */
export type BridgeMethod = (payload: unknown) => Promise<Envelope<unknown>>;

/** What `window.lifeboat` holds. */
export type LifeboatBridge = { readonly [M in MethodName]: BridgeMethod } & {
  /** Listen to a contract event; returns the function that stops listening. */
  readonly on: (event: EventName, listener: (payload: unknown) => void) => () => void;
};
