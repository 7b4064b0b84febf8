/** Picks the transport for where the page runs: Electron's bridge, or the headless host. */
import type { ConsoleTransport } from './console-transport';
import { createHttpTransport } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import { readToken } from './token';

export type TransportChoice = { transport: ConsoleTransport } | { problem: string };

/** The IPC bridge when the preload exposed one; HTTP + WebSocket with the page's token otherwise. */
export function chooseTransport(): TransportChoice {
  if (window.lifeboat) return { transport: createIpcTransport(window.lifeboat) };
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    return { problem: 'This page was opened without Lifeboat: start it with `npm start` or `lifeboat serve`.' };
  }
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  const token = readToken(location, storage);
  if (!token) {
    return {
      problem: 'This address has no token. Open the full address printed by `lifeboat serve` (it ends in ?token=…).',
    };
  }
  return { transport: createHttpTransport({ origin: location.origin, token }) };
}
