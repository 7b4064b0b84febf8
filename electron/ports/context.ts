/**
 * What every service function receives: the open workspace, facts about the running app, and the
 * ports it reaches the world through. Built once where the process opens the workspace (`openApp`)
 * and extended by a long-lived host (`startLiveHost`); passed down, never looked up. A leaf: it
 * imports only the other ports and packages, so engines and transports can both depend on it.
 */
import type Database from 'better-sqlite3';
import type { PassphraseRequest } from '../../shared/contract/hosts';
import type { EventSink } from './events';
import type { RemoteRunner } from './remote';

export interface ServiceContext {
  db: Database.Database;
  dbPath: string;
  appVersion: string;
  /** Runs every remote command of this workspace's failovers and host locks (the SSH engine's; a fake in tests). */
  runner: RemoteRunner;
  /** Carries events to every transport: the dispatcher's emit under a live host, else it drops them. */
  emit: EventSink;
  /** The passphrase questions open to the operator; null where no window can answer (the one-shot CLI). */
  prompts: PassphraseQuestions | null;
}

/** What the handlers need of the passphrase prompts (electron/ssh/passphrase-prompts.ts). */
export interface PassphraseQuestions {
  /** The questions still open, oldest first. */
  pending(): PassphraseRequest[];
  /** Answer a question (null declines it); false when it is no longer open. */
  answer(requestId: string, passphrase: string | null): boolean;
}
