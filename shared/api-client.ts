/**
 * The renderer's and the CLI's typed client, generated from the contract. The transport (Electron
 * IPC, HTTP + WebSocket, or in-process) is injected; this file knows none of them.
 */
import type { ApiErrorBody, Envelope, ErrorCode, FieldIssue } from './errors';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract';

export interface Transport {
  invoke(method: MethodName, payload: unknown): Promise<Envelope<unknown>>;
  /** Subscribe to an event; returns the function that unsubscribes. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** An error the API answered with; `issues` carries field paths for forms. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }
}

export interface Api {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
    async call(method, input) {
      const envelope = await transport.invoke(method, input);
      if (!envelope.ok) throw new ApiError(envelope.error);
      return envelope.value as never;
    },
    on(event, listener) {
      return transport.on(event, listener as (payload: unknown) => void);
    },
  };
}
