/**
 * The headless host's token kept in a file, for an always-on `lifeboat serve` (a systemd service):
 * the same token at every start, so a bookmarked tunnel URL keeps working, and rotated on demand.
 * The file is the secret: it must be a regular file that only its owner can read (0600).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../../shared/errors';

/** What a token looks like: 32 random bytes, base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,256}$/;

function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Write `token` into a new file (never an existing one), 0600, and flush it to disk. */
function writeNew(file: string, token: string): void {
  const fd = fs.openSync(
    file,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
    0o600,
  );
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, `${token}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Make a rename in `dir` durable. */
function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read the token of an existing file, refusing one others can read, a link, or a malformed one. */
export function readTokenFile(file: string): string {
  const stat = fs.lstatSync(file);
  if (!stat.isFile())
    throw new LifeboatError(
      'invalid_input',
      `${file} is not a regular file (a token file may not be a link or a directory)`,
    );
  const mode = stat.mode & 0o777;
  if (mode & 0o077) {
    throw new LifeboatError(
      'invalid_input',
      `${file} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}). The token may have leaked: rotate it with \`lifeboat serve --token-file ${file} --rotate-token\`, which writes it 0600.`,
    );
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0 && stat.uid !== process.getuid()) {
    throw new LifeboatError(
      'invalid_input',
      `${file} belongs to another user (uid ${stat.uid}); the token file must be this user's own`,
    );
  }
  const token = fs.readFileSync(file, 'utf8').trim();
  if (!TOKEN_PATTERN.test(token)) {
    throw new LifeboatError(
      'invalid_input',
      `${file} does not hold a token (32 or more letters, digits, - or _). Write a new one with \`lifeboat serve --token-file ${file} --rotate-token\`.`,
    );
  }
  return token;
}

/** The token kept in `file`, made (0600) on first use. The directory must exist. */
export function loadOrCreateToken(file: string): { token: string; created: boolean } {
  const dir = path.dirname(path.resolve(file));
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new LifeboatError('invalid_input', `the token file's directory ${dir} does not exist`);
  try {
    const token = newToken();
    writeNew(file, token);
    syncDir(dir);
    return { token, created: true };
  } catch (error) {
    // Already there (the usual case, or another start made it a moment ago): read it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { token: readTokenFile(file), created: false };
  }
}

/**
 * Replace the token in `file` with a new one: written 0600 beside it and renamed over it, so a
 * reader sees the old token or the new one, never half of one. Run as root, the file keeps the
 * owner it had (the service's user).
 */
export function rotateToken(file: string): string {
  const dir = path.dirname(path.resolve(file));
  const previous = fs.lstatSync(file, { throwIfNoEntry: false });
  if (previous && !previous.isFile())
    throw new LifeboatError(
      'invalid_input',
      `${file} is not a regular file (a token file may not be a link or a directory)`,
    );
  const token = newToken();
  const temporary = path.join(dir, `.${path.basename(file)}.new-${process.pid}`);
  try {
    writeNew(temporary, token);
    if (previous && process.getuid?.() === 0 && (previous.uid !== 0 || previous.gid !== 0))
      fs.chownSync(temporary, previous.uid, previous.gid);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  syncDir(dir);
  return token;
}
