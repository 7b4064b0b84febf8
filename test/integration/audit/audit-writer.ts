/**
 * A child process for the kill -9 test: appends audit rows as fast as it can and prints
 * "acked ID" after each append returned (the row is committed, synchronous=FULL). Bounded.
 */
import { openWorkspace } from '../../../electron/db/connection';
import { appendAudit } from '../../../electron/failover/audit';

const db = openWorkspace(process.argv[2]);
const limit = Number(process.argv[3] ?? '5000');
for (let i = 0; i < limit; i++) {
  const entry = appendAudit(db, {
    kind: 'note',
    actor: 'writer@test',
    detail: `row ${i} of process ${process.pid}`,
    output: 'x'.repeat(i % 500),
  });
  process.stdout.write(`acked ${entry.id}\n`);
}
db.close();
