/** The context's remote runner, or a plain refusal where no SSH engine is wired (nothing is run). */
import { LifeboatError } from '../../shared/errors';
import type { ServiceContext } from '../ports/context';
import type { RemoteRunner } from '../ports/remote';

export function requireRunner(ctx: ServiceContext): RemoteRunner {
  if (!ctx.runner)
    throw new LifeboatError(
      'unavailable',
      'no SSH engine is available in this process, so nothing can run on a server',
    );
  return ctx.runner;
}
