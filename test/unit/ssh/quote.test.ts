import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors';
import { Script, ShellWord, command, lines, sh, shellQuote, word } from '../../../electron/ssh/quote';

/** What /bin/sh makes of a script: the arguments printf receives, one per line in brackets. */
function argumentsSeenBySh(script: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return [...out.matchAll(/\[([\s\S]*?)\]\n/g)].map((m) => m[1]);
}

const HOSTILE = [
  '',
  "it's",
  "'",
  "''\\''",
  '; reboot',
  '$(reboot)',
  '`reboot`',
  '${IFS}reboot',
  'a\nreboot',
  'a\r\nb',
  '-rf',
  '--',
  '"double" quotes',
  '\\',
  '* ? [a-z]',
  '~root',
  '|| true &',
  '\u00e9t\u00e9 \u202e\u0661\u0662',
  '\u001b]0;title\u0007',
];

describe('shellQuote', () => {
  it.each(HOSTILE)('keeps %j one literal argument through a real /bin/sh', (value) => {
    expect(argumentsSeenBySh(`printf '[%s]\\n' ${shellQuote(value)}`)).toEqual([value]);
  });

  it("writes ' as '\\'' and wraps everything else in single quotes", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(x)')).toBe("'$(x)'");
    expect(shellQuote('')).toBe("''");
  });

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => shellQuote('a\u0000b')).toThrow(LifeboatError);
    expect(() => shellQuote('a\u0000b')).toThrow(/NUL/);
  });
});

describe('word validators', () => {
  const refused = (make: () => ShellWord) => {
    try {
      make();
    } catch (error) {
      return error instanceof LifeboatError && error.code === 'invalid_input';
    }
    return false;
  };

  it('accept canonical addresses only', () => {
    expect(word.ip('192.0.2.10').quoted).toBe("'192.0.2.10'");
    expect(word.ip('2001:db8::1').quoted).toBe("'2001:db8::1'");
    expect(word.cidr('10.77.0.10', 24).quoted).toBe("'10.77.0.10/24'");
    for (const bad of [
      '010.0.0.1',
      '127.1',
      '2130706433',
      '0x7f.0.0.1',
      '192.0.2.300',
      '1.2.3',
      '10.0.0.1\n',
      '\uff11\uff10.0.0.1',
      '10.0.0.1; reboot',
      '$(reboot)',
      '2001:DB8::1',
      '2001:db8:0:0:0:0:0:1',
      '-1.0.0.0',
    ]) {
      expect(
        refused(() => word.ip(bad)),
        bad,
      ).toBe(true);
    }
    expect(refused(() => word.cidr('10.0.0.1', 33))).toBe(true);
    expect(refused(() => word.cidr('10.0.0.1', 0))).toBe(true);
  });

  it('refuse interface names with metacharacters or a leading dash', () => {
    expect(word.interfaceName('eth0.100').value).toBe('eth0.100');
    for (const bad of [
      '-eth0',
      'eth0;reboot',
      'eth 0',
      '$(x)',
      '`x`',
      'eth0\n',
      "eth'0",
      'averyveryverylongname',
      '',
    ]) {
      expect(
        refused(() => word.interfaceName(bad)),
        bad,
      ).toBe(true);
    }
  });

  it('refuse unit names with metacharacters or a leading dash', () => {
    expect(word.unit('postgresql@15-main.service').value).toBe('postgresql@15-main.service');
    for (const bad of ['--now', 'nginx;reboot', 'nginx service', '$(x)', 'a\nb', "a'b", '']) {
      expect(
        refused(() => word.unit(bad)),
        bad,
      ).toBe(true);
    }
  });

  it('refuse relative paths, "..", control characters and NUL', () => {
    expect(word.path("/srv/it's here").quoted).toBe("'/srv/it'\\''s here'");
    for (const bad of ['srv', '-rf', '/srv/../etc/shadow', '/srv/a\nb', '/srv/\u0000', '/srv/\u001b[2J', '']) {
      expect(
        refused(() => word.path(bad)),
        JSON.stringify(bad),
      ).toBe(true);
    }
  });

  it('refuse bad hosts, users, ports and numbers', () => {
    for (const bad of ['web a', 'web\n', '-oProxyCommand=x', ''])
      expect(
        refused(() => word.host(bad)),
        bad,
      ).toBe(true);
    for (const bad of ['Root', 'a;b', '-u'])
      expect(
        refused(() => word.user(bad)),
        bad,
      ).toBe(true);
    for (const bad of [0, 65536, 1.5, Number.NaN])
      expect(
        refused(() => word.port(bad)),
        String(bad),
      ).toBe(true);
    expect(refused(() => word.integer(-1))).toBe(true);
    expect(refused(() => word.integer(5, 0, 4))).toBe(true);
    expect(word.integer(42).quoted).toBe("'42'");
  });
});

describe('building scripts', () => {
  it('splices only checked words, quoted', () => {
    const script = sh`ip -o addr show dev ${word.interfaceName('eth0')} to ${word.ip('10.77.0.10')}`;
    expect(script).toBeInstanceOf(Script);
    expect(script.text).toBe("ip -o addr show dev 'eth0' to '10.77.0.10'");
  });

  it('refuses a raw string, a number or an object spliced into a script as a bug', () => {
    const raw = 'eth0; reboot' as unknown as ShellWord;
    expect(() => sh`ip link show ${raw}`).toThrow(TypeError);
    expect(() => sh`x ${42 as unknown as ShellWord}`).toThrow(TypeError);
    expect(() => sh`x ${{ quoted: 'evil' } as unknown as ShellWord}`).toThrow(TypeError);
    expect(() => new ShellWord(Symbol('forged'), 'x')).toThrow(TypeError);
    expect(() => new Script(Symbol('forged'), 'x')).toThrow(TypeError);
  });

  it('puts -- before operands so a value can never be read as an option', () => {
    const script = command('systemctl', ['is-active'], [word.unit('nginx.service')]);
    expect(script.text).toBe("systemctl is-active -- 'nginx.service'");
    expect(command('arping', ['-D', '-c', '2', '-I', word.interfaceName('eth0')], [word.ip('10.0.0.1')]).text).toBe(
      "arping -D -c 2 -I 'eth0' -- '10.0.0.1'",
    );
    expect(command('hostname', []).text).toBe('hostname');
  });

  it('refuses data passed as a program name or option', () => {
    expect(() => command('rm -rf /', [])).toThrow(TypeError);
    expect(() => command('ls', ['$(reboot)'])).toThrow(TypeError);
    expect(() => command('ls', ['-l; reboot'])).toThrow(TypeError);
  });

  it('keeps hostile path values literal when the script runs', () => {
    const hostile = "/tmp/x'; echo pwned; '$(echo pwned)`echo pwned`\n-rf";
    expect(() => word.path(hostile)).toThrow(LifeboatError); // newline refused at the boundary
    const odd = "/tmp/x'; echo pwned; '$(echo pwned)`echo pwned` -rf";
    const script = lines([
      sh`printf '[%s]\\n' ${word.path(odd)}`,
      sh`printf '[%s]\\n' ${[word.unit('a.service'), word.ip('10.0.0.1')]}`,
    ]);
    expect(argumentsSeenBySh(script.text)).toEqual([odd, 'a.service', '10.0.0.1']);
  });
});
