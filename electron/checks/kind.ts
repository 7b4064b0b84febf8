/**
 * The small contract every check kind implements (one file per kind, Uptime Kuma style): which
 * servers it reads, the remote script for each, and how the outcomes become a status. Retries,
 * history and alerts belong to the scheduler, never to a kind.
 */
import { sshFailureWords } from '../../shared/ssh-status';
import type { Server, Service, ServiceGroup, Tier } from '../../shared/domain';
import type { CheckKind, CheckOf, CheckStatus, Metrics } from '../../shared/checks';
import type { RemoteOutcome } from '../ports/remote';
import type { Script } from '../ssh/quote';

/** Metrics as kinds write them: an undefined entry is dropped when the result is stored. */
export type EvaluationMetrics = { [key: string]: Metrics[string] | undefined };

/** The parts of the inventory checks read. */
export interface Inventory {
  servers: Map<number, Server>;
  groups: Map<number, ServiceGroup>;
  services: Service[];
}

/** The service an alert names and the RTO/RPO its thresholds follow. */
export interface ServiceRef {
  id: number;
  name: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number | null;
}

/** What a kind may know about its check besides its parameters. */
export interface CheckContext<K extends CheckKind = CheckKind> {
  check: CheckOf<K>;
  /** The check's group, when it has one. */
  group: ServiceGroup | null;
  /** The inventory's servers by id. */
  servers: ReadonlyMap<number, Server>;
  service: ServiceRef | null;
}

/** One script's outcome on one server. */
export interface Observation {
  server: Server;
  outcome: RemoteOutcome;
  /** Lifeboat's own clock (ms since the epoch) when the host's batch was sent and when it was answered. */
  window?: { sentAt: number; answeredAt: number };
}

/** A kind's verdict on one run of its check. */
export interface Evaluation {
  status: CheckStatus;
  summary: string;
  metrics: EvaluationMetrics;
  /** A definite alarm (two VIP holders, two primaries, a changed host key): counts at once, without retries. */
  immediate?: boolean;
  /** Why, when the alarm is about the host itself rather than what the check reads. */
  cause?: 'host-key-changed';
}

/** A check a kind implies for a group, as draft input: the kind and the group are filled in. */
export interface DefaultCheck {
  name: string;
  serverId?: number;
  params?: Record<string, unknown>;
  intervalSeconds?: number;
  retries?: number;
}

/** A field of a check and what is wrong with it. */
export interface FieldProblem {
  path: 'groupId' | 'serverId' | 'params';
  message: string;
}

/**
 * One file per kind implements this, and one line in kinds.ts registers it: whatever differs
 * between kinds is a hook here, so nothing outside the kind's module names the kind.
 */
export interface CheckKindModule<K extends CheckKind = CheckKind> {
  kind: K;
  /**
   * This kind is the one that says its server is down (ssh): when it settles on fail, its alert
   * stands for the other checks that depend on that server.
   */
  reportsHostDown?: boolean;
  /**
   * The script reads the host's clock against Lifeboat's: the sweep runs it in a round trip of its
   * own after the host's other scripts, so the window around it (Observation.window) is short.
   */
  ownRoundTrip?: boolean;
  /** Rules the schema cannot check, about the check's group (set and existing, when given). */
  validate?(params: CheckOf<K>['params'], group: ServiceGroup | null): FieldProblem | null;
  /** A host name or address the check probes besides its targets (a tcp/http probe's aim). */
  aimsAt?(params: CheckOf<K>['params']): string | undefined;
  /** The checks of this kind a service group implies (Add default checks). */
  defaults?(group: ServiceGroup, inventory: Inventory): DefaultCheck[];
  /** The servers to run the script on, in a stable order. */
  targets(ctx: CheckContext<K>): Server[];
  /** The remote script for one server, built only from constants and checked words. */
  script(params: CheckOf<K>['params'], server: Server, ctx: CheckContext<K>): Script;
  /** Judge the outcomes (one per target, in order). Must not throw on odd output. */
  evaluate(observations: readonly Observation[], ctx: CheckContext<K>): Evaluation;
}

/** The server a server-scoped check runs on. */
export function ownServer<K extends CheckKind>(ctx: CheckContext<K>): Server[] {
  const server = ctx.check.serverId === null ? undefined : ctx.servers.get(ctx.check.serverId);
  return server ? [server] : [];
}

/** The members of a group that are in the inventory, primary first. */
export function membersOf(group: ServiceGroup | null, servers: ReadonlyMap<number, Server>): Server[] {
  if (!group) return [];
  const ordered = [...group.members].sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1));
  return ordered.map((m) => servers.get(m.serverId)).filter((s): s is Server => s !== undefined);
}

/** A default check's name within its group ("web: VIP ownership"), within the name's length. */
export function groupCheckName(group: ServiceGroup, text: string): string {
  return `${group.name}: ${text}`.slice(0, 80);
}

/** The check's group, as a rule a kind states: it must have the named thing. */
export function groupLacks(group: ServiceGroup | null, missing: boolean, what: string): FieldProblem | null {
  return group && missing ? { path: 'groupId', message: `the group ${group.name} ${what}` } : null;
}

/** The members of the check's group, primary first. */
export function groupMembers<K extends CheckKind>(ctx: CheckContext<K>): Server[] {
  return membersOf(ctx.group, ctx.servers);
}

/** Server scope when a server is set, else the group's members. */
export function serverOrMembers<K extends CheckKind>(ctx: CheckContext<K>): Server[] {
  return ctx.check.serverId !== null ? ownServer(ctx) : groupMembers(ctx);
}

/** Why an outcome carries no usable output, in words; null when it does. */
export function outcomeProblem(observation: Observation): string | null {
  const { server, outcome } = observation;
  switch (outcome.kind) {
    case 'ok':
      return null;
    case 'failed': {
      const line = firstLine(outcome.result.stderr) || firstLine(outcome.result.stdout);
      return `the check script failed on ${server.name} (exit ${outcome.result.code ?? 'none'})${line ? `: ${line}` : ''}`;
    }
    case 'indeterminate':
      return `no complete answer from ${server.name} (${outcome.reason}${outcome.detail ? `: ${firstLine(outcome.detail)}` : ''})`;
    case 'unreachable':
      return `${sshFailureWords(outcome.cause, server.name)}: ${firstLine(outcome.detail)}`;
    case 'host-key':
      return outcome.status === 'changed'
        ? hostKeyChangedText(server.name, outcome.pinned ?? null, outcome.fingerprint)
        : `the host key of ${server.name} is not trusted yet (${outcome.fingerprint}); confirm it first`;
  }
}

/** What a changed host key means, with both fingerprints: Lifeboat refused, and nothing was sent. */
export function hostKeyChangedText(serverName: string, pinned: string | null, presented: string): string {
  return (
    `the host key of ${serverName} CHANGED: pinned ${pinned ?? '(a key of another type)'}, presented now ${presented}. ` +
    'Lifeboat refused to connect and sent nothing. If the server was reinstalled, compare the new key with its console, then forget the old pin and trust the new key (Health: Check host key); otherwise something may be impersonating it.'
  );
}

/** The first observation whose host presented a key other than the pinned one, if any. */
export function changedHostKey(
  observations: readonly Observation[],
): (Observation & { outcome: Extract<RemoteOutcome, { kind: 'host-key' }> }) | undefined {
  return observations.find(
    (o): o is Observation & { outcome: Extract<RemoteOutcome, { kind: 'host-key' }> } =>
      o.outcome.kind === 'host-key' && o.outcome.status === 'changed',
  );
}

/** A changed host key as a verdict: an alarm that counts at once, whatever the kind of check. */
export function hostKeyChangedEvaluation(
  observation: Observation & { outcome: Extract<RemoteOutcome, { kind: 'host-key' }> },
): Evaluation {
  const { server, outcome } = observation;
  return {
    status: 'fail',
    immediate: true,
    cause: 'host-key-changed',
    summary: `ALARM: ${hostKeyChangedText(server.name, outcome.pinned ?? null, outcome.fingerprint)}`,
    metrics: {
      reachable: false,
      hostKey: 'changed',
      pinnedFingerprint: outcome.pinned ?? null,
      presentedFingerprint: outcome.fingerprint,
    },
  };
}

/** The first line of untrusted text, trimmed and cut, control characters removed. */
export function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '')
      ?.replace(/[\u0000-\u001f\u007f]/g, '')
      .slice(0, 160) ?? ''
  );
}

/** `key=value` lines of a check script's output; a key may repeat. Other lines are ignored. */
export function readFields(stdout: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const match = /^([a-z][a-z0-9_-]{0,31})=(.*)$/.exec(line.trimEnd());
    if (!match) continue;
    const list = fields.get(match[1]) ?? [];
    if (list.length < 100_000) list.push(match[2]);
    fields.set(match[1], list);
  }
  return fields;
}

/** The first value of a field. */
export function field(fields: Map<string, string[]>, key: string): string | undefined {
  return fields.get(key)?.[0];
}

/** A plain decimal number, or undefined for anything else (remote output is data, never trusted). */
export function numberField(fields: Map<string, string[]>, key: string): number | undefined {
  const value = field(fields, key)?.trim();
  if (value === undefined || !/^-?[0-9]+(\.[0-9]+)?$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The fields of a complete output, or why there are none (unreachable, failed, cut short). */
export function readObservation(observation: Observation): { fields: Map<string, string[]> } | { problem: string } {
  const problem = outcomeProblem(observation);
  if (problem) return { problem };
  const outcome = observation.outcome as Extract<Observation['outcome'], { kind: 'ok' }>;
  const fields = readFields(outcome.result.stdout);
  if (!fields.has('end'))
    return {
      problem: `the output from ${observation.server.name} was incomplete${outcome.result.truncated ? ' (cut at the size limit)' : ''}`,
    };
  return { fields };
}

/**
 * The members of a group check whose output is complete, with their stdout, and those that could
 * not be read, with the first reason given.
 */
export function readMembers(observations: readonly Observation[]): {
  read: { name: string; stdout: string; fields: Map<string, string[]> }[];
  unread: string[];
  problem: string;
} {
  const read: { name: string; stdout: string; fields: Map<string, string[]> }[] = [];
  const unread: string[] = [];
  let problem = '';
  for (const observation of observations) {
    const answer = readObservation(observation);
    if ('problem' in answer) {
      unread.push(observation.server.name);
      problem ||= answer.problem;
      continue;
    }
    const stdout = observation.outcome.kind === 'ok' ? observation.outcome.result.stdout : '';
    read.push({ name: observation.server.name, stdout, fields: answer.fields });
  }
  return { read, unread, problem };
}

/**
 * Evaluate a one-server check: a missing output becomes `unknown` with the reason (the ssh check
 * is the one that says a host is down), otherwise `judge` reads the fields.
 */
export function judgeSingle(
  observations: readonly Observation[],
  judge: (fields: Map<string, string[]>, observation: Observation) => Evaluation,
): Evaluation {
  const observation = observations[0];
  if (!observation)
    return { status: 'unknown', summary: 'the server of this check is not in the inventory', metrics: {} };
  const read = readObservation(observation);
  if ('problem' in read) return { status: 'unknown', summary: read.problem, metrics: {} };
  return judge(read.fields, observation);
}

/** Compare against warn/fail levels where higher is worse. */
export function levelStatus(value: number, warn: number, fail: number): CheckStatus {
  if (value >= fail) return 'fail';
  if (value >= warn) return 'warn';
  return 'ok';
}

/** Round for display and metrics. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
