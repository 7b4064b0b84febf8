/**
 * Form state with instant inline validation and the host's verdict shown the same way.
 * Client issues show once a field was left or a save attempted; the host's issues show until the
 * field they name is edited. Nothing is sent while the client finds a problem.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api-client';
import { formatPath, type FieldIssue } from '../../../shared/errors';
import { fieldId, messagesAt, pathWithin } from './form-issues';

export interface DraftFormOptions<F> {
  /** Prefix of the fields' DOM ids. */
  id: string;
  initial: F;
  /** Client-side check of the values: usually the shared zod schema on the draft. */
  validate: (values: F) => FieldIssue[];
  /** Send the values; throw ApiError when the host refuses them. */
  save: (values: F) => Promise<void>;
}

/** What a text or select control needs to take part in the form. */
export interface BoundField<V> {
  id: string;
  value: V;
  onChange: (value: V) => void;
  onBlur: () => void;
  errors: string[];
}

export interface DraftForm<F> {
  id: string;
  values: F;
  /** Change the values; `key` names the field edited (for touched state and stale host issues). */
  update(key: string, next: (previous: F) => F): void;
  touch(key: string): void;
  /** The visible messages for a field; `nested` also includes its items' messages. */
  errorsFor(key: string, nested?: boolean): string[];
  /** Props for a control bound to a top-level key of the values. */
  bind<K extends keyof F & string>(key: K, nested?: boolean): BoundField<F[K]>;
  /** All visible issues, for the error summary. */
  issues: FieldIssue[];
  formError: string | null;
  submitting: boolean;
  /** Start over from `values` (e.g. the record reloaded): nothing touched, no problem shown. */
  reset(values: F): void;
  /** Counts save attempts that found problems, so the summary can take focus each time. */
  failedAttempts: number;
  submit(event?: FormEvent): Promise<void>;
}

/** Form state for one draft. */
export function useDraftForm<F>(options: DraftFormOptions<F>): DraftForm<F> {
  const { id, validate, save } = options;
  const [values, setValues] = useState(options.initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  const [editedSinceSave, setEditedSinceSave] = useState<ReadonlySet<string>>(new Set());
  const [formError, setFormError] = useState<string | null>(null);
  const [failedAttempts, setFailedAttempts] = useState(0);
  const mounted = useRef(true);
  // Set on every mount, not only at creation: React's StrictMode (development) unmounts and mounts
  // again, and a flag left false would drop every answer from the host.
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);

  const clientIssues = useMemo(() => validate(values), [validate, values]);

  const issues = useMemo(() => {
    const shownClient = clientIssues.filter((issue) => {
      const path = formatPath(issue.path);
      return submitted || [...touched].some((key) => pathWithin(path, key));
    });
    const shownServer = serverIssues.filter((issue) => {
      const path = formatPath(issue.path);
      return ![...editedSinceSave].some((key) => pathWithin(path, key) || pathWithin(key, path));
    });
    const seen = new Set<string>();
    return [...shownClient, ...shownServer].filter((issue) => {
      const key = `${formatPath(issue.path)}\u0000${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }, [clientIssues, serverIssues, submitted, touched, editedSinceSave]);

  const update = useCallback((key: string, next: (previous: F) => F) => {
    setValues(next);
    setEditedSinceSave((old) => (old.has(key) ? old : new Set(old).add(key)));
  }, []);
  const touch = useCallback((key: string) => setTouched((old) => (old.has(key) ? old : new Set(old).add(key))), []);
  const errorsFor = useCallback((key: string, nested = false) => messagesAt(issues, key, nested), [issues]);
  const reset = useCallback((next: F) => {
    setValues(next);
    setTouched(new Set());
    setSubmitted(false);
    setServerIssues([]);
    setEditedSinceSave(new Set());
    setFormError(null);
    setFailedAttempts(0);
  }, []);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (submitting) return;
    setSubmitted(true);
    setFormError(null);
    if (validate(values).length > 0) {
      setFailedAttempts((n) => n + 1);
      return;
    }
    setSubmitting(true);
    setServerIssues([]);
    setEditedSinceSave(new Set());
    try {
      await save(values);
    } catch (error) {
      if (!mounted.current) return;
      const apiIssues = error instanceof ApiError ? error.issues.filter((i) => i.path.length > 0) : [];
      setServerIssues(apiIssues);
      if (apiIssues.length === 0) setFormError((error as Error)?.message ?? String(error));
      setFailedAttempts((n) => n + 1);
    } finally {
      if (mounted.current) setSubmitting(false);
    }
  };

  return {
    id,
    values,
    update,
    touch,
    errorsFor,
    bind: (key, nested = false) => ({
      id: fieldId(id, key),
      value: values[key],
      onChange: (value) => update(key, (previous) => ({ ...previous, [key]: value })),
      onBlur: () => touch(key),
      errors: errorsFor(key, nested),
    }),
    issues,
    formError,
    submitting,
    reset,
    failedAttempts,
    submit,
  };
}
