/** What the store needs from a transport: the shared Transport plus the state of its event stream. */
import type { Transport } from '../../../shared/api-client';

/** Whether events are flowing: "reconnecting" means changes made elsewhere may be missed for now. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** A transport for the console: calls, events, and a view of the event stream's health. */
export interface ConsoleTransport extends Transport {
  /** Listen for changes of the event stream's state; returns the function that unsubscribes. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Close sockets and timers. */
  dispose(): void;
}

/** A small listener set, so each transport does not hand-roll one. */
export function listenerSet<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener: (value: T) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(value: T): void {
      for (const listener of [...listeners]) listener(value);
    },
    clear(): void {
      listeners.clear();
    },
  };
}
