/**
 * What the failover services need from the app, keyed by the workspace's database handle until the
 * ServiceContext carries them: the RemoteRunner (the SSH engine's) and the sink that carries
 * `run.*` events to every window and the web host.
 */
import type { Db } from '../db/connection';
import type { EventSink } from '../ports/events';
import type { RemoteRunner } from '../ports/remote';
import { createSshRunner } from '../ssh/runner';

const runners = new WeakMap<Db, RemoteRunner>();
const sinks = new WeakMap<Db, EventSink>();
let runnerFactory: ((db: Db) => RemoteRunner) | null = null;

/** Use `runner` for every remote command of this workspace's failovers. */
export function setRunnerFor(db: Db, runner: RemoteRunner): void {
  runners.set(db, runner);
}

/** Build a runner on first use for workspaces that were not given one (the app's SSH engine). */
export function setRunnerFactory(factory: ((db: Db) => RemoteRunner) | null): void {
  runnerFactory = factory;
}

/** The workspace's runner: the one set, else the factory's, else the SSH engine's over the workspace's runtime. */
export function runnerFor(db: Db): RemoteRunner {
  let runner = runners.get(db);
  if (!runner) {
    runner = runnerFactory ? runnerFactory(db) : createSshRunner(db);
    runners.set(db, runner);
  }
  return runner;
}

/** Forget the workspace's runner (the owner disposes it). */
export function clearRunnerFor(db: Db): void {
  runners.delete(db);
}

/** Carry `run.*` events of this workspace to `sink` (the dispatcher's emit). */
export function setEventSinkFor(db: Db, sink: EventSink | null): void {
  if (sink) sinks.set(db, sink);
  else sinks.delete(db);
}

/** The workspace's event sink; events are dropped when nothing listens. */
export function eventSinkFor(db: Db): EventSink {
  return sinks.get(db) ?? (() => undefined);
}
