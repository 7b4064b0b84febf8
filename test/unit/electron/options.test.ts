/** How the shell picks its workspace from the command line and the environment. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceFromCommandLine } from '../../../electron/shell/options';

describe('workspaceFromCommandLine', () => {
  const cwd = path.resolve('/home/admin');

  it('takes --db FILE or --db=FILE, resolved against the working directory', () => {
    expect(workspaceFromCommandLine(['.', '--db', 'dr.db'], {}, cwd)).toBe(path.join(cwd, 'dr.db'));
    expect(workspaceFromCommandLine(['--db=/srv/dr.db'], {}, cwd)).toBe(path.resolve('/srv/dr.db'));
  });

  it('prefers the command line to LIFEBOAT_DB, and uses LIFEBOAT_DB otherwise', () => {
    expect(workspaceFromCommandLine(['--db', 'a.db'], { LIFEBOAT_DB: 'b.db' }, cwd)).toBe(path.join(cwd, 'a.db'));
    expect(workspaceFromCommandLine([], { LIFEBOAT_DB: 'b.db' }, cwd)).toBe(path.join(cwd, 'b.db'));
  });

  it('leaves the choice to the shell (userData) when neither is given', () => {
    expect(workspaceFromCommandLine(['.', '--db'], { LIFEBOAT_DB: '' }, cwd)).toBeUndefined();
  });
});
