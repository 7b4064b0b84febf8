/**
 * Runbooks: choose a group and the member it moves to, then edit the steps that do it. The
 * runbook and the generated default come from the store (kept current by events); the form is
 * RunbookForm, mounted afresh for each choice.
 */
import { useMemo } from 'react';
import { useApp } from '../../store/store-context';
import { selectGroups, selectServers } from '../../store/selectors';
import { RunbookForm } from './RunbookForm';
import './runbook-editor.css';

/** The Runbooks screen. */
export function RunbookEditor() {
  const allGroups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const key = useApp((s) => s.runbookKey);
  const runbook = useApp((s) => s.runbook);
  const generated = useApp((s) => s.generatedRunbook);
  const error = useApp((s) => s.runbookError);
  const openRunbook = useApp((s) => s.openRunbook);
  const groups = useMemo(() => allGroups.filter((g) => g.members.length > 0), [allGroups]);
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  const group = groups.find((g) => g.id === key?.groupId);
  const members = useMemo(
    () =>
      group?.members.map((m) => ({
        serverId: m.serverId,
        name: servers.find((s) => s.id === m.serverId)?.name ?? `server ${m.serverId}`,
      })) ?? [],
    [group, servers],
  );
  const fits = runbook && key && runbook.groupId === key.groupId && runbook.targetServerId === key.targetServerId;

  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Runbooks</h1>
          <p className="screen-description">
            The steps that move a group to a member, in order. Generated from the group; yours to edit.
          </p>
        </div>
      </div>
      <div className="runbook-choose">
        <label htmlFor="runbook-group">Group and target</label>
        <select
          id="runbook-group"
          value={key ? `${key.groupId}:${key.targetServerId}` : ''}
          onChange={(e) => {
            const [g, t] = e.target.value.split(':').map(Number);
            void openRunbook(g && t ? { groupId: g, targetServerId: t } : null);
          }}
        >
          <option value="">Choose…</option>
          {groups.flatMap((g) =>
            g.members.map((m) => (
              <option key={`${g.id}:${m.serverId}`} value={`${g.id}:${m.serverId}`}>
                {g.name} → {nameOf(m.serverId)} (
                {g.members.length === 1 ? 'recovery in place' : m.role === 'standby' ? 'failover' : 'switchback'})
              </option>
            )),
          )}
        </select>
      </div>
      {error && (
        <p role="alert" className="failover-error">
          {error}
        </p>
      )}
      {fits && group && (
        <RunbookForm
          key={`${key.groupId}:${key.targetServerId}`}
          group={group}
          runbook={runbook}
          generated={generated}
          members={members}
        />
      )}
    </>
  );
}
