import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/redact';

describe('secrets left out of printed commands', () => {
  it('hides the key file of ssh, scp and rsync -e, quoted or not', () => {
    expect(
      redactSecrets(
        "rsync -a -e 'ssh -o BatchMode=yes -i /root/.ssh/sync_key -o UserKnownHostsFile=/root/kh' -- /srv/ root@10.0.0.3:/srv/",
      ),
    ).toBe(
      "rsync -a -e 'ssh -o BatchMode=yes -i <key file> -o UserKnownHostsFile=/root/kh' -- /srv/ root@10.0.0.3:/srv/",
    );
    expect(redactSecrets('ssh -i "/home/sam/my keys/id" host')).toBe('ssh -i <key file> host');
    expect(redactSecrets('scp -i~/.ssh/id a b')).toBe('scp -i<key file> a b');
    expect(redactSecrets('ssh -o IdentityFile=/etc/k host; ssh -oIdentityFile=/etc/k host')).toBe(
      'ssh -o IdentityFile=<key file> host; ssh -oIdentityFile=<key file> host',
    );
  });

  it('keeps -i that is not a key file', () => {
    for (const command of ['grep -i error /var/log/syslog', "sed -i.bak 's/a/b/' /etc/x", 'ping -i 0.2 -c 3 10.0.0.1'])
      expect(redactSecrets(command)).toBe(command);
  });

  it('hides passwords in variables, options and sshpass', () => {
    expect(redactSecrets("PGPASSWORD='s3cret' psql -h db")).toBe('PGPASSWORD=<password> psql -h db');
    expect(redactSecrets('mysql --password=hunter2 -e status')).toBe('mysql --password=<password> -e status');
    expect(redactSecrets('tool --password hunter2 && next')).toBe('tool --password <password> && next');
    expect(redactSecrets('sshpass -p hunter2 ssh host')).toBe('sshpass -p <password> ssh host');
    expect(redactSecrets('curl -d password=abc&x=1 https://x')).toBe('curl -d password=<password>&x=1 https://x');
    expect(redactSecrets('echo password: "top secret"')).toBe('echo password: <password>');
  });

  it('hides the inventory key paths wherever they appear, the longest first', () => {
    expect(redactSecrets('cat /keys/admin /keys/admin.pub', ['/keys/admin', '/keys/admin.pub'])).toBe(
      'cat <key file> <key file>',
    );
    expect(redactSecrets('ls /srv', ['/'])).toBe('ls /srv');
  });
});
