/** Company settings: the name on the plan, the recovery target the business asked for, and how long a drill counts. */
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/domain';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/fields';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectCompanyName, selectNotify, selectTargetMinutes } from '../../store/selectors';
import {
  SETTINGS_LABELS,
  drillMaxAgeDraft,
  settingsDraft,
  settingsFields,
  settingsIssues,
  type SettingsFields,
} from './settings-fields';

/** Loads the drill age in force (it lives with the failover settings), then shows the form. */
export function SettingsScreen() {
  const companyName = useApp(selectCompanyName);
  const targetMinutes = useApp(selectTargetMinutes);
  const call = useApp(selectCall);
  const [drillAge, setDrillAge] = useState<{ days: number | null } | null>(null);
  useEffect(() => {
    let live = true;
    call('drills.status', {})
      .then((statuses) => live && setDrillAge({ days: statuses[0]?.maxAgeDays ?? null }))
      .catch(() => live && setDrillAge({ days: null }));
    return () => void (live = false);
  }, [call]);

  if (drillAge === null) {
    return (
      <>
        <ScreenHeader title="Settings" description={DESCRIPTION} />
        <p className="muted">Loading…</p>
      </>
    );
  }
  return <SettingsForm settings={{ companyName, targetMinutes }} drillMaxAgeDays={drillAge.days} />;
}

const DESCRIPTION = 'What the plan is called, and the targets it is judged by.';

function SettingsForm({ settings, drillMaxAgeDays }: { settings: Settings; drillMaxAgeDays: number | null }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const form = useDraftForm({
    id: 'settings-form',
    initial: settingsFields(settings, drillMaxAgeDays),
    validate: settingsIssues,
    save: async (fields: SettingsFields) => {
      await call('settings.save', settingsDraft(fields));
      const drill = drillMaxAgeDraft(fields);
      if (drill !== null && drill.days !== drillMaxAgeDays) await call('drills.setMaxAge', drill);
      notify('success', 'Saved the settings.');
    },
  });
  const field = <K extends keyof SettingsFields>(key: K) => ({ ...form.bind(key), label: SETTINGS_LABELS[key] });

  // The button sits in the header, where messages appearing under the fields cannot move it mid-click.
  return (
    <>
      <ScreenHeader title="Settings" description={DESCRIPTION}>
        <button type="submit" form="settings-form" className="button button-primary" disabled={form.submitting}>
          {form.submitting ? 'Saving…' : 'Save settings'}
        </button>
      </ScreenHeader>
      <section className="panel" aria-labelledby="screen-title" data-testid="settings">
        <form id="settings-form" onSubmit={form.submit} noValidate>
          <ErrorSummary form={form} labels={SETTINGS_LABELS} />
          <div className="form-grid">
            <TextField
              {...field('companyName')}
              optional
              hint="Shown at the top of the console and on the printed plan"
            />
            <TextField
              {...field('targetMinutes')}
              optional
              inputMode="numeric"
              hint="The turnaround the business asked for, e.g. 30; every critical service's RTO is checked against it"
            />
            <TextField
              {...field('drillMaxAgeDays')}
              optional
              inputMode="numeric"
              hint={
                drillMaxAgeDays === null
                  ? 'Older drills no longer prove a group fails over; empty keeps the default'
                  : 'Older drills no longer prove a group fails over'
              }
            />
          </div>
        </form>
      </section>
    </>
  );
}
