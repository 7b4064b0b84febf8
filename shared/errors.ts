/** Error codes every transport and the UI can switch on exhaustively. */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'dependency_cycle',
  'in_use',
  'unsupported_version',
  'unauthorized',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Path of the bad field inside the payload, e.g. ["ssh", "port"]. */
  path: (string | number)[];
  message: string;
}

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** An expected error, meant to be shown to the user; anything else is a bug. */
export class LifeboatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'LifeboatError';
  }

  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** Format an issue path the way people read it: ssh.port, members[1].serverId. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}
