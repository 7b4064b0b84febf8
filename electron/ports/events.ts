/**
 * How the main process tells every transport (windows, the web host, the CLI's output) that
 * something happened: one function per event of the contract. A leaf: it imports only `shared/`,
 * so the engines that emit and the dispatcher that delivers do not import each other.
 */
import type { EventName, EventPayload } from '../../shared/contract/index';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
