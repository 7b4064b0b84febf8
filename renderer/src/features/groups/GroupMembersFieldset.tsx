/** The members of a group: which servers, and which one is the primary. */
import type { Server } from '../../../../shared/domain';
import { FieldErrors } from '../../components/fields';
import { fieldId } from '../../components/form-issues';
import { PlusIcon } from '../../components/icons';
import type { DraftForm } from '../../components/use-draft-form';
import { rowKey, type GroupFields, type MemberRow } from './group-fields';

/** One row per member: a server chosen by name, its role, and a remove button. */
export function GroupMembersFieldset({ form, servers }: { form: DraftForm<GroupFields>; servers: readonly Server[] }) {
  const { members } = form.values;
  const used = new Set(members.map((m) => m.serverId));
  const free = servers.filter((s) => !used.has(String(s.id)));
  const setMembers = (key: string, change: (rows: MemberRow[]) => MemberRow[]) =>
    form.update(key, (previous) => ({ ...previous, members: change(previous.members) }));
  const add = () => {
    if (!free[0]) return;
    setMembers('members', (rows) => [
      ...rows,
      { key: rowKey(), serverId: String(free[0].id), role: rows.length === 0 ? 'primary' : 'standby' },
    ]);
  };
  const groupErrors = form.errorsFor('members');

  return (
    <fieldset
      className="form-section"
      id={fieldId(form.id, 'members')}
      aria-describedby={groupErrors.length ? `${fieldId(form.id, 'members')}-error` : undefined}
    >
      <legend>Members</legend>
      <p className="field-hint">One primary, and one or more standbys it can fail over to.</p>
      {members.length > 0 && (
        <div className="row-editor">
          <div className="row-editor-head member-row" aria-hidden="true">
            <span>Server</span>
            <span>Role</span>
            <span />
          </div>
          {members.map((member, index) => {
            const base = `members[${index}]`;
            const errors = form.errorsFor(base, true);
            const serverId = fieldId(form.id, `${base}.serverId`);
            const roleId = fieldId(form.id, `${base}.role`);
            const options = servers.filter((s) => String(s.id) === member.serverId || !used.has(String(s.id)));
            return (
              <div className={`row-editor-row member-row${errors.length ? ' field-invalid' : ''}`} key={member.key}>
                <label className="visually-hidden" htmlFor={serverId}>
                  Member {index + 1}: server
                </label>
                <select
                  id={serverId}
                  value={member.serverId}
                  aria-invalid={errors.length > 0 || undefined}
                  onChange={(e) =>
                    setMembers(base, (rows) =>
                      rows.map((r, i) => (i === index ? { ...r, serverId: e.target.value } : r)),
                    )
                  }
                  onBlur={() => form.touch(base)}
                >
                  {options.map((s) => (
                    <option key={s.id} value={String(s.id)}>
                      {s.name}
                    </option>
                  ))}
                </select>
                <label className="visually-hidden" htmlFor={roleId}>
                  Member {index + 1}: role
                </label>
                <select
                  id={roleId}
                  value={member.role}
                  onChange={(e) =>
                    setMembers('members', (rows) =>
                      rows.map((r, i) => (i === index ? { ...r, role: e.target.value as MemberRow['role'] } : r)),
                    )
                  }
                >
                  <option value="primary">Primary</option>
                  <option value="standby">Standby</option>
                </select>
                <button
                  type="button"
                  className="button button-small button-quiet-danger"
                  aria-label={`Remove member ${index + 1}`}
                  onClick={() => setMembers('members', (rows) => rows.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
                <FieldErrors id={`${serverId}-error`} errors={errors} />
              </div>
            );
          })}
        </div>
      )}
      <FieldErrors id={`${fieldId(form.id, 'members')}-error`} errors={groupErrors} />
      <button type="button" className="button button-small" onClick={add} disabled={free.length === 0}>
        <PlusIcon />
        Add member
      </button>
      {servers.length === 0 && <p className="muted small">Add servers first; members are chosen from the inventory.</p>}
    </fieldset>
  );
}
