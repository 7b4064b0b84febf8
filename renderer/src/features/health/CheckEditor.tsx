/** Add or change a health check: its kind, where it runs, its parameters and its schedule. */
import { useMemo, useState } from 'react';
import { ApiError, type Api } from '../../../../shared/api-client';
import {
  CHECK_KIND_LABEL,
  CHECK_KINDS,
  CHECK_SCOPE,
  CheckDraft,
  type Check,
  type CheckKind,
} from '../../../../shared/checks';
import type { Snapshot } from '../../../../shared/domain';
import { formatPath, type FieldIssue } from '../../../../shared/errors';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { SelectField, TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { draftOf, formOf, paramFields, serverLabel, type CheckForm } from './check-fields';

/** What the editor needs. */
export interface CheckEditorProps {
  api: Api;
  snapshot: Snapshot;
  /** The check to change; null for a new one. */
  check: Check | null;
  onClose: () => void;
  onSaved?: (check: Check) => void;
}

/** A dialog; mount it to open it. */
export function CheckEditor({ api, snapshot, check, onClose, onSaved }: CheckEditorProps) {
  const [form, setForm] = useState<CheckForm>(() => formOf(check));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const scope = CHECK_SCOPE[form.kind];
  const messages = (path: string) => issues.filter((i) => formatPath(i.path) === path).map((i) => i.message);
  const set = (patch: Partial<CheckForm>) => setForm((f) => ({ ...f, ...patch }));
  const setParam = (key: string, value: string) => setForm((f) => ({ ...f, params: { ...f.params, [key]: value } }));

  const groupOptions = useMemo(
    () => [
      { value: '', label: scope === 'group' ? 'Choose a group' : 'None' },
      ...snapshot.groups.map((g) => ({ value: String(g.id), label: g.name })),
    ],
    [snapshot.groups, scope],
  );
  const serverOptions = useMemo(
    () => [
      { value: '', label: scope === 'either' ? 'Every member of the group' : 'Choose a server' },
      ...snapshot.servers.map((s) => ({ value: String(s.id), label: s.name })),
    ],
    [snapshot.servers, scope],
  );

  const save = async () => {
    const draft = draftOf(form);
    const local = schemaIssues(CheckDraft, draft);
    setIssues(local);
    setFormError(null);
    if (local.length) return;
    setSaving(true);
    try {
      const saved = await api.call('checks.save', draft);
      onSaved?.(saved);
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setIssues(error.issues);
        setFormError(error.message);
      } else setFormError((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={check ? `Edit ${check.name}` : 'New health check'}
      onClose={onClose}
      size="large"
      testId="check-editor"
    >
      <DialogBody>
        <form
          className="dialog-form form-grid"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {(formError || issues.length > 0) && (
            <div className="error-summary span-2" role="alert">
              <p className="error-summary-title">Nothing was saved</p>
              {formError && <p>{formError}</p>}
              <ul>
                {issues.map((issue) => (
                  <li key={`${formatPath(issue.path)}:${issue.message}`}>
                    {formatPath(issue.path) || 'check'}: {issue.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <SelectField
            id="check-kind"
            label="Kind"
            value={form.kind}
            onChange={(value) => set({ kind: value as CheckKind, params: {} })}
            options={CHECK_KINDS.map((kind) => ({ value: kind, label: CHECK_KIND_LABEL[kind] }))}
            className="span-2"
          />
          <TextField
            id="check-name"
            label="Name"
            value={form.name}
            onChange={(name) => set({ name })}
            errors={messages('name')}
            className="span-2"
          />
          <SelectField
            id="check-group"
            label="Service group"
            value={form.groupId}
            onChange={(groupId) => set({ groupId })}
            options={groupOptions}
            errors={messages('groupId')}
          />
          {scope !== 'group' && (
            <SelectField
              id="check-server"
              label={serverLabel(form.kind)}
              value={form.serverId}
              onChange={(serverId) => set({ serverId })}
              options={serverOptions}
              errors={messages('serverId')}
            />
          )}
          {paramFields(form.kind).map((field) =>
            field.type === 'select' ? (
              <SelectField
                key={field.key}
                id={`check-param-${field.key}`}
                label={field.label}
                value={form.params[field.key] ?? field.options![0]}
                onChange={(value) => setParam(field.key, value)}
                options={field.options!.map((o) => ({ value: o, label: o }))}
                errors={messages(`params.${field.key}`)}
              />
            ) : (
              <TextField
                key={field.key}
                id={`check-param-${field.key}`}
                label={field.label}
                hint={field.hint}
                value={form.params[field.key] ?? ''}
                onChange={(value) => setParam(field.key, value)}
                inputMode={field.type === 'number' ? 'decimal' : undefined}
                multiline={field.type === 'list'}
                monospace={field.type !== 'number'}
                errors={messages(`params.${field.key}`)}
                optional={field.nullable}
                className={field.type === 'list' || field.key === 'url' ? 'span-2' : undefined}
              />
            ),
          )}
          <TextField
            id="check-interval"
            label="Every (seconds)"
            value={form.intervalSeconds}
            onChange={(intervalSeconds) => set({ intervalSeconds })}
            inputMode="numeric"
            errors={messages('intervalSeconds')}
          />
          <TextField
            id="check-timeout"
            label="Time limit (seconds)"
            value={form.timeoutSeconds}
            onChange={(timeoutSeconds) => set({ timeoutSeconds })}
            inputMode="numeric"
            errors={messages('timeoutSeconds')}
          />
          <TextField
            id="check-retries"
            label="Retries before a failure counts"
            value={form.retries}
            onChange={(retries) => set({ retries })}
            inputMode="numeric"
            errors={messages('retries')}
            hint="Failures are shown as warnings until then"
          />
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
            Enabled
          </label>
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </form>
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button-primary" disabled={saving} onClick={() => void save()}>
          {check ? 'Save check' : 'Add check'}
        </button>
      </DialogFooter>
    </Dialog>
  );
}
