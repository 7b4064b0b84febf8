/**
 * The one place a call enters the services: look up the method, validate the payload against the
 * contract, run the handler, and answer with an envelope. Every transport goes through here.
 */
import { methods, type MethodName } from '../../shared/contract/index';
import { LifeboatError, formatPath, type Envelope } from '../../shared/errors';
import type { ServiceContext } from '../ports/context';
import type { Handlers } from '../services/handlers';
import type { EventSink } from '../ports/events';

export type { EventSink };

export interface Dispatcher {
  dispatch(method: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Register a listener for every event the services emit; returns the unsubscribe function. */
  subscribe(sink: EventSink): () => void;
  /** Send an event to every listener (what long-lived hosts hand to monitoring and failover). */
  emit: EventSink;
}

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function createDispatcher(
  handlers: Handlers,
  ctx: ServiceContext,
  log: (message: string) => void = console.error,
): Dispatcher {
  const sinks = new Set<EventSink>();
  let revision = 0;
  const emit: EventSink = (event, payload) => {
    for (const sink of sinks) {
      try {
        sink(event, payload);
      } catch (error) {
        log(`event listener failed: ${(error as Error).message}`);
      }
    }
  };

  async function dispatch(method: string, payload: unknown): Promise<Envelope<unknown>> {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: `Unknown method "${String(method).slice(0, 80)}"` },
      };
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
      const first = issues[0];
      const where = formatPath(first.path);
      return {
        ok: false,
        error: { code: 'invalid_input', message: where ? `${where}: ${first.message}` : first.message, issues },
      };
    }
    try {
      const handler = handlers[method] as (c: ServiceContext, input: unknown) => unknown;
      const value = await handler(ctx, parsed.data);
      if (spec.mutates) emit('workspace.changed', { method, revision: ++revision });
      return { ok: true, value };
    } catch (error) {
      if (error instanceof LifeboatError) return { ok: false, error: error.toBody() };
      log(`internal error in ${method}: ${(error as Error)?.stack ?? String(error)}`);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Lifeboat hit an internal error while running ${method}; the details are in its log`,
        },
      };
    }
  }

  return {
    dispatch,
    subscribe(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    emit,
  };
}
