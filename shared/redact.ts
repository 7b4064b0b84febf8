/**
 * Secrets out of printed commands. The plan prints the engine's exact scripts, and a script may name
 * a key file (`ssh -i /root/.ssh/id_sync`) or carry a password a runbook author typed into a custom
 * command. Neither belongs on paper: key paths become `<key file>`, password values `<password>`.
 * Passwords are also kept out of the audit log and the live output of a run.
 */

export const KEY_PLACEHOLDER = '<key file>';
export const PASSWORD_PLACEHOLDER = '<password>';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// `-i PATH` (ssh, scp, rsync -e) and `-o IdentityFile=PATH`, quoted or not.
// `-i` only before something path-like (glued on only before / or ~), so `grep -i word` and
// `sed -i.bak` keep their words.
const IDENTITY_OPTION =
  /(^|[\s'"])(-i(?:\s+(?=['"]?[/~.$])|(?=['"]?[/~]))|-oIdentityFile=|-o\s*IdentityFile[= ]\s*|IdentityFile[= ]\s*)(?:'[^']*'|"[^"]*"|[^\s'"]+)/g;
// PGPASSWORD=x, MYSQL_PWD=x, password=x, --password=x, --password x, sshpass -p x, passwd: x.
const PASSWORD_ASSIGNMENT =
  /(\b(?:[A-Z_]*PASSWORD|[A-Z_]*PASSWD|MYSQL_PWD|password|passwd|pwd)\s*[=:]\s*)(?:'[^']*'|"[^"]*"|[^\s'";&|]+)/gi;
const PASSWORD_FLAG = /(--password(?:\s+|=)|\bsshpass\s+-p\s*)(?:'[^']*'|"[^"]*"|[^\s'";&|]+)/gi;

/** The text with password values replaced (the audit log and live output keep key paths: they are no secret). */
export function redactPasswords(text: string): string {
  return text
    .replace(PASSWORD_FLAG, (_m, flag: string) => `${flag}${PASSWORD_PLACEHOLDER}`)
    .replace(PASSWORD_ASSIGNMENT, (_m, name: string) => `${name}${PASSWORD_PLACEHOLDER}`);
}

/** The script with key paths and passwords replaced; `keyPaths` are extra paths to hide wherever they appear. */
export function redactSecrets(script: string, keyPaths: readonly string[] = []): string {
  let out = redactPasswords(
    script.replace(IDENTITY_OPTION, (_m, lead: string, option: string) => `${lead}${option}${KEY_PLACEHOLDER}`),
  );
  // Longest first, so a path that extends another is hidden whole.
  for (const path of [...new Set(keyPaths)].filter((p) => p.length > 1).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escapeRegExp(path), 'g'), KEY_PLACEHOLDER);
  }
  return out;
}
