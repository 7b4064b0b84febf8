/** Maintenance windows: planned (start and end) or ad hoc ("silence this group for 2 h"); each can be ended now. */
import { useState } from 'react';
import type { MaintenanceWindow } from '../../../../shared/alerting';
import { SelectField, TextField } from '../../components/fields';
import { useApp } from '../../store/store-context';
import { selectCall, selectGroups, selectNotify } from '../../store/selectors';

const time = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** The windows not yet over, and the forms that add one. */
export function MaintenancePanel({ windows }: { windows: readonly MaintenanceWindow[] }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const groups = useApp(selectGroups);
  const [busy, setBusy] = useState(false);
  const [group, setGroup] = useState('');
  const [hours, setHours] = useState('2');
  const [reason, setReason] = useState('');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const groupName = (id: number | null) =>
    id === null ? 'Every group' : (groups.find((g) => g.id === id)?.name ?? `group ${id}`);
  const groupId = group ? Number(group) : null;
  const act = async (what: string, action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notify('error', `${what} failed: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const silence = () =>
    act('Silencing', async () => {
      const minutes = Math.round(Number(hours) * 60);
      await call('maintenance.silence', { groupId, minutes, reason });
      notify('success', `${groupName(groupId)}: alerts silenced for ${hours} h.`);
    });
  const plan = () =>
    act('Planning the window', async () => {
      await call('maintenance.plan', { groupId, startsAt: Date.parse(starts), endsAt: Date.parse(ends), reason });
      notify('success', `${groupName(groupId)}: maintenance planned.`);
    });
  return (
    <section className="panel" aria-labelledby="alert-maintenance-title" data-testid="alert-maintenance">
      <h2 id="alert-maintenance-title" className="panel-title">
        Maintenance and silences
      </h2>
      <p className="muted">
        A window silences its group&rsquo;s alerts, and its time does not count against the RTO. A drill or failover
        silences its own group while it runs.
      </p>
      {windows.length === 0 ? (
        <p className="muted">No window is planned or running.</p>
      ) : (
        <ul className="alert-windows">
          {windows.map((w) => (
            <li key={w.id}>
              <strong>{groupName(w.groupId)}</strong> {time(w.startsAt)} – {time(w.endsAt)}{' '}
              <span className="muted">
                ({w.kind === 'adhoc' ? 'silenced' : 'planned'} by {w.createdBy}: {w.reason})
              </span>{' '}
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() =>
                  void act('Ending the window', async () => void (await call('maintenance.end', { id: w.id })))
                }
              >
                {w.startsAt > Date.now() ? 'Cancel' : 'End now'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-grid">
        <SelectField
          id="maintenance-group"
          label="Group"
          value={group}
          onChange={setGroup}
          options={[
            { value: '', label: 'Every group' },
            ...groups.map((g) => ({ value: String(g.id), label: g.name })),
          ]}
        />
        <TextField
          id="maintenance-reason"
          label="Why"
          value={reason}
          onChange={setReason}
          hint="Goes into the audit log"
        />
      </div>
      <div className="alert-actions">
        <TextField
          id="maintenance-hours"
          label="Silence for (hours)"
          value={hours}
          onChange={setHours}
          inputMode="decimal"
        />
        <button type="button" className="button" disabled={busy || !reason} onClick={() => void silence()}>
          Silence now
        </button>
      </div>
      <div className="alert-actions">
        <TextField
          id="maintenance-starts"
          label="Starts"
          value={starts}
          onChange={setStarts}
          type="text"
          placeholder="2026-12-12 18:00"
        />
        <TextField
          id="maintenance-ends"
          label="Ends"
          value={ends}
          onChange={setEnds}
          type="text"
          placeholder="2026-12-12 22:00"
        />
        <button
          type="button"
          className="button"
          disabled={busy || !reason || !starts || !ends}
          onClick={() => void plan()}
        >
          Plan window
        </button>
      </div>
    </section>
  );
}
