/**
 * The transport of the headless host (`lifeboat serve`): calls are `POST /api/<method>` with the
 * token in a header; events arrive on one WebSocket that reconnects with a bounded backoff.
 */
import type { ApiErrorBody, Envelope, ErrorCode } from '../../../shared/errors';
import { events, type EventName, type MethodName } from '../../../shared/contract/index';
import { listenerSet, type ConnectionState, type ConsoleTransport } from './console-transport';

export interface HttpTransportOptions {
  /** The page's origin, e.g. http://127.0.0.1:4321 */
  origin: string;
  token: string;
  /** Every call has a deadline (docs/safety.md, invariant 8: every wait is bounded). */
  callTimeoutMs?: number;
  /** Reconnect delays grow from the first to the last value and stay there. */
  backoffMs?: { first: number; max: number };
  /** Injected in tests; the browser's otherwise. */
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
}

const failure = (code: ErrorCode, message: string): Envelope<never> => ({ ok: false, error: { code, message } });

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if ((value as { ok: unknown }).ok === true) return 'value' in value;
  const error = (value as { error?: Partial<ApiErrorBody> }).error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** Calls and events over HTTP + WebSocket, authenticated by the host's token. */
export function createHttpTransport(options: HttpTransportOptions): ConsoleTransport {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const Socket = options.WebSocket ?? WebSocket;
  const timeout = options.callTimeoutMs ?? 60_000;
  const backoff = options.backoffMs ?? { first: 500, max: 10_000 };
  const eventsUrl = `${options.origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(options.token)}`;

  const eventListeners = new Map<EventName, ReturnType<typeof listenerSet<unknown>>>();
  const connection = listenerSet<ConnectionState>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let disposed = false;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    connection.emit(next);
  };

  const onMessage = (message: MessageEvent) => {
    let parsed: { event?: unknown; payload?: unknown };
    try {
      parsed = JSON.parse(String(message.data));
    } catch {
      return;
    }
    const name = parsed.event as EventName;
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(events, name)) return;
    const payload = events[name].safeParse(parsed.payload);
    if (payload.success) eventListeners.get(name)?.emit(payload.data);
  };

  const connect = () => {
    if (disposed || socket) return;
    const ws = new Socket(eventsUrl);
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      setState('live');
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', () => {
      socket = null;
      if (disposed) return;
      setState('reconnecting');
      const delay = Math.min(backoff.max, backoff.first * 2 ** attempt);
      attempt += 1;
      // A little jitter so several tabs do not reconnect in lockstep.
      retryTimer = setTimeout(
        () => {
          retryTimer = null;
          connect();
        },
        delay * (0.8 + Math.random() * 0.4),
      );
    });
  };

  return {
    async invoke(method: MethodName, payload: unknown) {
      let response: Response;
      try {
        response = await doFetch(`${options.origin}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Lifeboat-Token': options.token },
          body: JSON.stringify(payload ?? {}),
          signal: AbortSignal.timeout(timeout),
        });
      } catch (error) {
        if ((error as Error)?.name === 'TimeoutError') {
          return failure('unavailable', `Lifeboat did not answer ${method} within ${Math.round(timeout / 1000)} s`);
        }
        return failure('unavailable', 'Cannot reach the Lifeboat host; is `lifeboat serve` still running?');
      }
      if (response.status === 403) {
        return failure(
          'unauthorized',
          'The Lifeboat host refused this page: open the address printed by `lifeboat serve` again (it carries a new token at every start)',
        );
      }
      if (!response.ok) {
        const text = (await response.text().catch(() => '')).slice(0, 200);
        return failure('unavailable', `The Lifeboat host answered HTTP ${response.status}${text ? `: ${text}` : ''}`);
      }
      const body: unknown = await response.json().catch(() => null);
      return isEnvelope(body) ? body : failure('internal', `The Lifeboat host sent an unreadable answer to ${method}`);
    },
    on(event, listener) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = listenerSet<unknown>()));
      const remove = set.add(listener);
      connect();
      return remove;
    },
    onConnectionChange(listener) {
      listener(state);
      return connection.add(listener);
    },
    dispose() {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      socket = null;
      eventListeners.clear();
      connection.clear();
    },
  };
}
