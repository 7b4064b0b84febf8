/** The group form keeps how PostgreSQL is reached (socket directory, TCP host): editing a group must not drop them. */
import { describe, expect, it } from 'vitest';
import { groupDraft, groupFields } from '../../../renderer/src/features/groups/group-fields';
import type { ServiceGroup } from '../../../shared/domain';

const group: ServiceGroup = {
  id: 7,
  name: 'db',
  description: '',
  members: [],
  vips: [],
  processes: [],
  data: {
    kind: 'postgres',
    port: 5433,
    dataDir: '/var/lib/postgresql/15/main',
    osUser: 'postgres',
    database: 'crm',
    socketDir: '/run/pg-sock',
    host: '',
  },
} as unknown as ServiceGroup;

describe('PostgreSQL fields of the group form', () => {
  it('round-trips the socket directory and the host', () => {
    const fields = groupFields(group);
    expect(fields.data.socketDir).toBe('/run/pg-sock');
    expect(groupDraft(fields, 7).data).toMatchObject({ kind: 'postgres', socketDir: '/run/pg-sock', host: '' });
    fields.data.host = ' 10.77.0.20 ';
    expect(groupDraft(fields, 7).data).toMatchObject({ host: '10.77.0.20' });
  });
});
