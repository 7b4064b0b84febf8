/**
 * Reads that prove themselves (docs/safety.md, "a read proves itself or it is unknown"): every
 * part of a read script is a section that prints its own end line carrying the exit status of
 * what it ran. A section counts only when that end line is there and says 0; a missing tool, a
 * shell that stopped half-way or output cut short leaves the section unread, never "empty".
 */

const BEGIN = '--- lifeboat: begin ';
const END = '--- lifeboat: end ';

/** Section names are constants written in code: letters only, so they never need quoting. */
function checkName(name: string): string {
  if (!/^[a-z]+$/.test(name)) throw new Error(`section name "${name}" is not lower-case letters`);
  return name;
}

/**
 * One section: prints its begin line, runs `body`, then its end line with the body's exit status.
 * The blank line before the end line keeps it on a line of its own when the body's output does
 * not end with a newline.
 */
export function section(name: string, body: string): string {
  const n = checkName(name);
  return [`echo '${BEGIN}${n}'`, `{\n${body}\n}`, `rc=$?; echo; echo "${END}${n} $rc"`].join('\n');
}

/** What a section said: its text, or why it does not count. */
export type SectionRead = { ok: true; text: string } | { ok: false; why: string; text: string };

/** The section's text when it ended with status 0; otherwise why it cannot be trusted. */
export function readSection(stdout: string, name: string): SectionRead {
  const n = checkName(name);
  const lines = stdout.split('\n');
  const begin = lines.indexOf(`${BEGIN}${n}`);
  if (begin < 0) return { ok: false, why: 'it never started (the script stopped before it)', text: '' };
  const endPattern = new RegExp(`^${END}${n} (\\d+)$`);
  for (let i = begin + 1; i < lines.length; i++) {
    const end = endPattern.exec(lines[i]);
    if (!end) continue;
    const text = lines
      .slice(begin + 1, i)
      .join('\n')
      .trim();
    const code = Number(end[1]);
    if (code !== 0) return { ok: false, why: `exit status ${code}${text ? `: ${clip(text)}` : ''}`, text };
    return { ok: true, text };
  }
  return {
    ok: false,
    why: `no end line (the output was cut short): ${clip(
      lines
        .slice(begin + 1)
        .join('\n')
        .trim(),
    )}`,
    text: '',
  };
}

/** Remote text shown in a message: one line, bounded. */
export function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
