/**
 * The connection string a rebuilt standby streams with: every value allowlisted, and the standby's
 * application_name is its server's name as the domain allows it (a Slug may hold "_" and ".").
 */
import { describe, expect, it } from 'vitest';
import { primaryConninfo } from '../../../electron/failover/actions/postgres-standby-scripts';
import { PostgresRebuildParams } from '../../../shared/runbooks';

const params = PostgresRebuildParams.parse({ dataDir: '/var/lib/postgresql/15/main', primaryServerId: 1 });

describe('primaryConninfo', () => {
  it('names the standby by its server name, "_" and "." included', () => {
    expect(primaryConninfo('10.77.0.21', params, 'db_1.site-a')).toBe(
      'host=10.77.0.21 port=5432 user=replicator application_name=db_1.site-a',
    );
  });

  it('refuses a name a conninfo string would have to quote, where it enters', () => {
    expect(() => primaryConninfo('10.77.0.21', params, "db a' x")).toThrow(/not a server name/);
    expect(() => primaryConninfo('10.77.0.21; rm', params, 'db-a')).toThrow();
  });
});
