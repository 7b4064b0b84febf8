/** Where every alert goes (desktop, email over SMTP with its password), reminders, and the escalation delay per tier. */
import { useState } from 'react';
import type { AlertSettings } from '../../../../shared/checks';
import { SMTP_SECURITY } from '../../../../shared/checks';
import { TIERS } from '../../../../shared/domain';
import type { ChannelReport } from '../../../../shared/contract/alerts';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField, SelectField, TextField } from '../../components/fields';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import {
  ALERT_LABELS,
  alertDraft,
  alertFields,
  alertIssues,
  defaultEscalation,
  type AlertFields,
} from './alert-fields';

const SECURITY_LABEL: Record<(typeof SMTP_SECURITY)[number], string> = {
  none: 'None (a relay that trusts this machine)',
  starttls: 'STARTTLS (port 587)',
  tls: 'TLS from the start (port 465)',
};

/** Show what a test did, one line per channel, failures as errors. */
export function useTestReporter() {
  const notify = useApp(selectNotify);
  return (reports: ChannelReport[]) => {
    const failed = reports.filter((r) => !r.ok);
    const lines = reports.map((r) => `${r.ok ? 'sent' : 'FAILED'}: ${r.channel}: ${r.detail}`);
    notify(failed.length ? 'error' : 'success', failed.length ? 'The test did not get through.' : 'Test sent.', lines);
  };
}

/** The desktop, email and escalation settings form. */
export function AlertChannelsForm({ settings }: { settings: AlertSettings }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const report = useTestReporter();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useDraftForm({
    id: 'alert-settings',
    initial: alertFields(settings),
    validate: alertIssues,
    save: async (fields: AlertFields) => {
      await call('alerts.settings.save', alertDraft(fields));
      notify('success', 'Saved the alert settings.');
    },
  });
  const field = <K extends keyof AlertFields>(key: K) => ({ ...form.bind(key), label: ALERT_LABELS[key] });
  const check = (key: 'desktop' | 'reminders' | 'emailEnabled') => {
    const bound = form.bind(key);
    return { id: bound.id, checked: bound.value, onChange: bound.onChange, label: ALERT_LABELS[key] };
  };
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
  const test = (channel: 'desktop' | 'email') =>
    act('The test', async () => report(await call('alerts.test', { channel })));
  const storePassword = () =>
    act('Storing the password', async () => {
      const result = await call('alerts.smtpPassword.set', { password });
      setPassword('');
      notify('success', `The SMTP password is kept in ${result.where}.`);
    });
  const forgetPassword = () =>
    act('Forgetting the password', async () => {
      await call('alerts.smtpPassword.clear', {});
      notify('success', 'Forgot the SMTP password.');
    });

  return (
    <section className="panel" aria-labelledby="alert-channels-title" data-testid="alert-channels">
      <h2 id="alert-channels-title" className="panel-title">
        Desktop and email
      </h2>
      <form id="alert-settings" onSubmit={form.submit} noValidate>
        <ErrorSummary form={form} labels={ALERT_LABELS} />
        <div className="form-grid">
          <CheckboxField {...check('desktop')} hint="Shown on this computer when an alert is raised" />
          <CheckboxField {...check('reminders')} hint="Repeat a down alert while the service stays down" />
        </div>
        <h3 className="alert-subtitle">Email</h3>
        <div className="form-grid">
          <TextField {...field('host')} optional hint="e.g. smtp.office365.com or smtp.gmail.com; empty: no email" />
          <TextField {...field('port')} inputMode="numeric" />
          <SelectField
            {...field('security')}
            onChange={(value) => form.bind('security').onChange(value as AlertFields['security'])}
            options={SMTP_SECURITY.map((value) => ({ value, label: SECURITY_LABEL[value] }))}
          />
          <TextField {...field('username')} optional hint="Empty: no AUTH (a relay that trusts this machine)" />
          <TextField {...field('from')} type="email" />
          <TextField
            {...field('to')}
            optional
            hint="Addresses, comma-separated; contacts are told through escalation below"
          />
          <CheckboxField {...check('emailEnabled')} />
        </div>
        <h3 className="alert-subtitle">Escalation</h3>
        <p className="muted">
          The first contacts in escalation order are told at once; if nobody acknowledges, the next are told after these
          minutes. Empty: a share of the service&rsquo;s RTO.
        </p>
        <div className="form-grid">
          {TIERS.map((tier) => (
            <TextField
              key={tier}
              {...field(tier)}
              optional
              inputMode="numeric"
              placeholder={defaultEscalation(tier)}
              hint={`Default: ${defaultEscalation(tier)}`}
            />
          ))}
        </div>
        <div className="alert-actions">
          <button type="submit" className="button button-primary" disabled={form.submitting || busy}>
            {form.submitting ? 'Saving…' : 'Save alert settings'}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void test('desktop')}>
            Send a test to the desktop
          </button>
          <button
            type="button"
            className="button"
            disabled={busy || !settings.email}
            onClick={() => void test('email')}
          >
            Send a test email
          </button>
        </div>
      </form>
      <div className="alert-password" data-testid="smtp-password">
        <p>
          SMTP password:{' '}
          {settings.smtpPassword.stored
            ? `kept in ${settings.smtpPassword.where}`
            : `none stored (${settings.smtpPassword.where})`}
        </p>
        <div className="alert-actions">
          <TextField
            id="smtp-password-input"
            label="New SMTP password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
          <button type="button" className="button" disabled={busy || !password} onClick={() => void storePassword()}>
            Store password
          </button>
          {settings.smtpPassword.stored && (
            <button type="button" className="button" disabled={busy} onClick={() => void forgetPassword()}>
              Forget password
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
