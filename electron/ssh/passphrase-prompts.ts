/**
 * Asking the operator, through whatever window or browser is open, for the passphrase of an
 * encrypted key file: a `hosts.passphraseRequested` event goes out, `hosts.answerPassphrase`
 * answers it. The key is then kept decrypted in memory by the pool (KeyFileCache), so each key is
 * asked for once per run of Lifeboat. An unanswered request ends as "declined" at its deadline,
 * and a declined key is not asked for again for a while, so background monitoring does not put a
 * dialog in front of an absent operator at every sweep.
 */
import { randomUUID } from 'node:crypto';
import type { PassphraseProvider } from './credentials';
import type { PassphraseQuestions } from '../ports/context';
import type { PassphraseRequest } from '../../shared/contract/hosts';

/** What the prompts tell the windows. */
export interface PassphraseEvents {
  requested(request: PassphraseRequest): void;
  settled(requestId: string): void;
}

interface Waiting {
  request: PassphraseRequest;
  resolve: (passphrase: string | null) => void;
  timer: NodeJS.Timeout;
}

/** The passphrase questions of one workspace's SSH runtime. */
export class PassphrasePrompts implements PassphraseQuestions {
  private readonly waiting = new Map<string, Waiting>();
  /** Keys declined (or left unanswered), with when they may be asked for again. */
  private readonly quietUntil = new Map<string, number>();
  private disposed = false;

  constructor(
    private readonly events: PassphraseEvents,
    private readonly timeoutMs = 120_000,
    private readonly quietMs = 5 * 60_000,
  ) {}

  /** Hand this to the SSH runtime. */
  readonly provider: PassphraseProvider = ({ keyPath, attempt }) => {
    if (this.disposed || (this.quietUntil.get(keyPath) ?? 0) > Date.now()) return Promise.resolve(null);
    return new Promise((resolve) => {
      const request: PassphraseRequest = {
        requestId: randomUUID(),
        keyPath,
        attempt,
        expiresAt: Date.now() + this.timeoutMs,
      };
      const timer = setTimeout(() => this.settle(request.requestId, null), this.timeoutMs);
      this.waiting.set(request.requestId, { request, resolve, timer });
      this.events.requested(request);
    });
  };

  /** The questions still open, oldest first (for a window that opens while one waits). */
  pending(): PassphraseRequest[] {
    return [...this.waiting.values()].map((w) => w.request);
  }

  /** Answer a question (null declines it); false when it is no longer open. */
  answer(requestId: string, passphrase: string | null): boolean {
    return this.settle(requestId, passphrase);
  }

  /** Decline every open question and clear their timers. */
  dispose(): void {
    this.disposed = true;
    for (const id of [...this.waiting.keys()]) this.settle(id, null);
  }

  private settle(requestId: string, passphrase: string | null): boolean {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return false;
    this.waiting.delete(requestId);
    clearTimeout(waiting.timer);
    if (passphrase === null) this.quietUntil.set(waiting.request.keyPath, Date.now() + this.quietMs);
    else this.quietUntil.delete(waiting.request.keyPath);
    waiting.resolve(passphrase);
    this.events.settled(requestId);
    return true;
  }
}
