/**
 * One service function per contract method, gathered from each area. The type makes a missing
 * handler a compile error; the contract test checks the same at run time.
 */
import type { Handlers } from './handler-types';
import { workspaceHandlers } from './workspace-handlers';

export type { Handler, Handlers, HandlersFor } from './handler-types';

export const handlers: Handlers = {
  ...workspaceHandlers,
};
