/** The shape of a service function for one contract method. */
import type { MethodName, MethodOutput, MethodParsedInput } from '../../shared/contract';
import type { ServiceContext } from '../ports/context';

export type Handler<M extends MethodName> = (
  ctx: ServiceContext,
  input: MethodParsedInput<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** Handlers for a subset of the contract: each area file exports one of these. */
export type HandlersFor<K extends MethodName> = { [M in K]: Handler<M> };
export type Handlers = HandlersFor<MethodName>;
