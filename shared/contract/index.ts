/**
 * The API contract: every method with the schema of its input and output, every event with its
 * payload. IPC handlers, the preload, the web host's routes, the renderer's client and the CLI are
 * all generated from this one table. Each area keeps its entries in its own file.
 */
import { z } from 'zod';
import { workspaceMethods } from './workspace';
import { planMethods } from './plan';
import { checkMethods, checkEvents } from './checks';
import { alertEvents, alertMethods } from './alerts';
import { hostEvents, hostMethods } from './hosts';
import { failoverMethods, failoverEvents } from './failover';
import { sshImportMethods } from './ssh-import';
import { lockMethods } from './locks';
import { heartbeatMethods } from './heartbeat';
import { testRecoveryMethods } from './test-recovery';
import { recoveryMethods, recoveryEvents } from './recovery';
import { syncMethods } from './sync';
import { reprotectMethods } from './reprotect';

export { method, type MethodSpec } from './define';
export { ImportSummary, WORKSPACE_TEMPLATES } from './workspace';

export const methods = {
  ...workspaceMethods,
  ...planMethods,
  ...checkMethods,
  ...alertMethods,
  ...hostMethods,
  ...failoverMethods,
  ...lockMethods,
  ...heartbeatMethods,
  ...syncMethods,
  ...reprotectMethods,
  ...sshImportMethods,
  ...testRecoveryMethods,
  ...recoveryMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export const events = {
  'workspace.changed': z.object({ method: z.string(), revision: z.int() }),
  'checks.result': checkEvents['checks.result'],
  'alerts.raised': checkEvents['alerts.raised'],
  'alerts.updated': alertEvents['alerts.updated'],
  'run.step': failoverEvents['run.step'],
  'run.output': failoverEvents['run.output'],
  'run.finished': failoverEvents['run.finished'],
  'recovery.changed': recoveryEvents['recovery.changed'],
  'hosts.passphraseRequested': hostEvents['hosts.passphraseRequested'],
  'hosts.passphraseSettled': hostEvents['hosts.passphraseSettled'],
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The IPC channel that carries a method or event. */
export const channelOf = (name: MethodName | EventName): string => `lifeboat:${name}`;
