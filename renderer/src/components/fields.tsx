/** Labelled form controls whose error messages sit next to them and are tied to them for screen readers. */
import type { ReactNode } from 'react';

interface FieldFrame {
  id: string;
  /** Usually text; may carry a visually hidden part (e.g. "Step 3 ") that names it for screen readers. */
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  optional?: boolean;
  className?: string;
}

function describedBy(id: string, hint: unknown, errors: string[]): string | undefined {
  const ids = [hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The messages under a control; `id` is what aria-describedby points at. */
export function FieldErrors({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="field-error" id={id}>
      {errors.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** A field's box: what goes first (its label, or a check box in its label), then its hint and messages. */
function FieldBox({
  id,
  hint,
  errors = [],
  className,
  children,
}: Pick<FieldFrame, 'id' | 'hint' | 'errors' | 'className'> & { children: ReactNode }) {
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      {children}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

function Frame({ id, label, optional, children, ...box }: FieldFrame & { children: ReactNode }) {
  return (
    <FieldBox id={id} {...box}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      {children}
    </FieldBox>
  );
}

export interface TextFieldProps extends FieldFrame {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  type?: 'text' | 'email' | 'tel' | 'search' | 'password';
  /** What the browser may fill in; 'off' unless said (a password field says 'new-password' or 'off'). */
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel';
  placeholder?: string;
  multiline?: boolean;
  rows?: number;
  monospace?: boolean;
}

/** A text input (or textarea) with its label, hint and inline errors. */
export function TextField(props: TextFieldProps) {
  const {
    id,
    value,
    onChange,
    onBlur,
    type = 'text',
    inputMode,
    placeholder,
    multiline,
    rows = 3,
    monospace,
    errors = [],
    autoComplete = 'off',
  } = props;
  const common = {
    id,
    value,
    onBlur,
    placeholder,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': describedBy(id, props.hint, errors),
    className: monospace ? 'mono' : undefined,
    spellCheck: false,
    autoComplete,
  };
  return (
    <Frame {...props}>
      {multiline ? (
        <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />
      )}
    </Frame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectFieldProps extends FieldFrame {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  options: readonly SelectOption[];
}

/** A select with its label, hint and inline errors. */
export function SelectField(props: SelectFieldProps) {
  const { id, value, onChange, onBlur, options, errors = [] } = props;
  return (
    <Frame {...props}>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, props.hint, errors)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export interface CheckboxFieldProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  onBlur?: () => void;
  hint?: ReactNode;
  errors?: string[];
}

/** A yes/no box with its label beside it, its hint and inline errors. */
export function CheckboxField({ id, label, checked, onChange, onBlur, hint, errors = [] }: CheckboxFieldProps) {
  return (
    <FieldBox id={id} hint={hint} errors={errors}>
      <label className="check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          onBlur={onBlur}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={describedBy(id, hint, errors)}
        />
        {label}
      </label>
    </FieldBox>
  );
}

export interface CheckListProps {
  id: string;
  legend: string;
  hint?: ReactNode;
  errors?: string[];
  options: readonly { value: number; label: string }[];
  selected: readonly number[];
  onChange: (selected: number[]) => void;
  empty?: string;
}

/** A fieldset of checkboxes for choosing several entities by name. */
export function CheckList({ id, legend, hint, errors = [], options, selected, onChange, empty }: CheckListProps) {
  const toggle = (value: number, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset
      className={`field checklist${errors.length ? ' field-invalid' : ''}`}
      id={id}
      aria-describedby={describedBy(id, hint, errors)}
    >
      <legend>{legend}</legend>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {options.length === 0 && <p className="muted">{empty ?? 'Nothing to choose from yet.'}</p>}
      <div className="checklist-options">
        {options.map((option) => (
          <label key={option.value} className="check">
            <input
              type="checkbox"
              checked={selected.includes(option.value)}
              onChange={(e) => toggle(option.value, e.target.checked)}
            />
            {option.label}
          </label>
        ))}
      </div>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}
