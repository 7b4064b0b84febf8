/** An in-memory ConsoleTransport for store tests: scripted answers, events pushed by the test. */
import type { ConnectionState, ConsoleTransport } from '../../../renderer/src/api/console-transport';
import type { EventName, MethodName } from '../../../shared/contract/index';
import type { Envelope } from '../../../shared/errors';
import type { Snapshot } from '../../../shared/domain';

export const emptySnapshot = (companyName = ''): Snapshot => ({
  settings: { companyName, targetMinutes: null },
  sites: [],
  servers: [],
  services: [],
  groups: [],
  contacts: [],
});

export interface FakeTransport extends ConsoleTransport {
  calls: MethodName[];
  /** Answer for each method; a function sees the payload. */
  answers: Partial<Record<MethodName, (payload: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>>>;
  emit(event: EventName, payload: unknown): void;
  setConnection(state: ConnectionState): void;
  listenerCount(event: EventName): number;
  disposed: boolean;
}

/** A transport whose snapshot names the company after the number of snapshot calls so far. */
export function fakeTransport(): FakeTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connection = new Set<(state: ConnectionState) => void>();
  let snapshots = 0;
  const transport: FakeTransport = {
    calls: [],
    disposed: false,
    answers: {
      'workspace.info': () => ({
        ok: true,
        value: { path: '/tmp/ws.db', schemaVersion: 1, initialised: true, appVersion: '0.0.0' },
      }),
      'workspace.snapshot': () => ({ ok: true, value: emptySnapshot(`fetch ${++snapshots}`) }),
    },
    async invoke(method, payload) {
      transport.calls.push(method);
      const answer = transport.answers[method];
      if (!answer) return { ok: false, error: { code: 'internal', message: `no answer scripted for ${method}` } };
      return answer(payload);
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => void listeners.get(event)!.delete(listener);
    },
    onConnectionChange(listener) {
      connection.add(listener);
      listener('connecting');
      return () => void connection.delete(listener);
    },
    dispose() {
      transport.disposed = true;
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    setConnection(state) {
      for (const listener of connection) listener(state);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
  return transport;
}

/** Let queued promise callbacks run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
