/**
 * The controls of generated fields (see schema-fields.ts): a text box or area, a number box, a
 * tick box, a select of words or of the group's servers by name, a list one entry per line, and a
 * nested choice (a probe kind, a fencing method) with the fields of what is chosen. Each control's
 * DOM id is the form's id of its issue path, so the error summary's links reach it.
 */
import type { ReactNode } from 'react';
import { CheckboxField, SelectField, TextField } from '../../components/fields';
import { fieldId } from '../../components/form-issues';
import { choiceValues, NONE, type FieldSpec, type FieldValues } from './schema-fields';

export interface Member {
  serverId: number;
  name: string;
}

export interface SchemaFieldsProps {
  fields: readonly FieldSpec[];
  values: FieldValues;
  /** Issue path of these fields ("steps[2].action.params"); each field's key is appended. */
  keyPrefix: string;
  formId: string;
  /** Read before each label by screen readers only ("Step 3 "), so every control has a unique name. */
  labelPrefix: string;
  members: readonly Member[];
  /** Visible messages of a field; `nested` adds those of its entries (a list's lines). */
  errorsFor: (key: string, nested?: boolean) => string[];
  onTouch: (key: string) => void;
  /** `key` is the edited field's issue path; `next` the values of this level with the edit made. */
  onChange: (key: string, next: FieldValues) => void;
}

/** The generated controls of one level of fields. */
export function SchemaFields(props: SchemaFieldsProps) {
  const { fields, values, keyPrefix, formId, labelPrefix, members, errorsFor, onTouch, onChange } = props;
  return (
    <>
      {fields.map((spec) => {
        const key = keyPrefix ? `${keyPrefix}.${spec.key}` : spec.key;
        const id = fieldId(formId, key);
        const label: ReactNode = (
          <>
            <span className="visually-hidden">{labelPrefix}</span>
            {spec.label}
          </>
        );
        const raw = values[spec.key] ?? spec.initial;
        const set = (value: FieldValues[string]) => onChange(key, { ...values, [spec.key]: value });
        const common = { id, label, errors: errorsFor(key), onBlur: () => onTouch(key) };
        switch (spec.kind) {
          case 'boolean':
            return <CheckboxField key={spec.key} {...common} checked={raw === true} onChange={set} />;
          case 'enum':
            return (
              <SelectField
                key={spec.key}
                {...common}
                value={String(raw)}
                onChange={set}
                options={spec.options.map((o) => ({ value: o, label: o }))}
              />
            );
          case 'server': {
            const value = String(raw);
            const known = members.some((m) => String(m.serverId) === value);
            const options = [
              ...(spec.nullable || value === ''
                ? [{ value: '', label: spec.nullable ? 'None' : 'Choose a server…' }]
                : []),
              ...members.map((m) => ({ value: String(m.serverId), label: m.name })),
              // A server that left the group still shows, so the problem can be seen and fixed.
              ...(value !== '' && !known ? [{ value, label: `server ${value} (not a member)` }] : []),
            ];
            return <SelectField key={spec.key} {...common} value={value} onChange={set} options={options} />;
          }
          case 'number':
            return (
              <TextField
                key={spec.key}
                {...common}
                value={String(raw)}
                onChange={set}
                inputMode={spec.integer ? 'numeric' : 'decimal'}
                optional={spec.nullable}
              />
            );
          case 'list':
            return (
              <TextField
                key={spec.key}
                {...common}
                errors={errorsFor(key, true)}
                value={String(raw)}
                onChange={set}
                multiline={spec.item === 'text'}
                rows={Math.min(6, Math.max(2, String(raw).split('\n').length))}
                monospace
                hint={spec.item === 'text' ? 'One per line' : 'Separate several with commas'}
              />
            );
          case 'choice': {
            const nested = (typeof raw === 'object' ? raw : {}) as FieldValues;
            const chosen = String(nested[spec.discriminator] ?? '');
            const option = spec.options.find((o) => o.value === chosen);
            const choiceKey = `${key}.${spec.discriminator}`;
            return (
              <fieldset key={spec.key} className="schema-choice" id={id}>
                <legend>{label}</legend>
                <SelectField
                  id={fieldId(formId, choiceKey)}
                  label={
                    <>
                      <span className="visually-hidden">{labelPrefix}</span>
                      {spec.label} {spec.discriminator}
                    </>
                  }
                  errors={errorsFor(choiceKey)}
                  onBlur={() => onTouch(choiceKey)}
                  value={chosen}
                  onChange={(next) => onChange(choiceKey, { ...values, [spec.key]: choiceValues(spec, next, nested) })}
                  options={spec.options.map((o) => ({ value: o.value, label: o.value }))}
                />
                <SchemaFields
                  {...props}
                  fields={option?.fields ?? []}
                  values={nested}
                  keyPrefix={key}
                  labelPrefix={`${labelPrefix}${spec.label.toLowerCase()} `}
                  onChange={(inner, next) => onChange(inner, { ...values, [spec.key]: next })}
                />
              </fieldset>
            );
          }
          case 'object': {
            const nested = (typeof raw === 'object' ? raw : {}) as FieldValues;
            const absent = spec.nullable && nested[NONE] === true;
            const noneKey = `${key}.${NONE}`;
            return (
              <fieldset key={spec.key} className="schema-choice" id={id}>
                <legend>{label}</legend>
                {spec.nullable && (
                  <CheckboxField
                    id={fieldId(formId, noneKey)}
                    label={
                      <>
                        <span className="visually-hidden">{labelPrefix}</span>
                        No {spec.label.toLowerCase()}
                      </>
                    }
                    errors={[]}
                    onBlur={() => onTouch(noneKey)}
                    checked={absent}
                    onChange={(none) => onChange(noneKey, { ...values, [spec.key]: { ...nested, [NONE]: none } })}
                  />
                )}
                {!absent && (
                  <SchemaFields
                    {...props}
                    fields={spec.fields}
                    values={nested}
                    keyPrefix={key}
                    labelPrefix={`${labelPrefix}${spec.label.toLowerCase()} `}
                    onChange={(inner, next) => onChange(inner, { ...values, [spec.key]: next })}
                  />
                )}
              </fieldset>
            );
          }
          default:
            return (
              <TextField
                key={spec.key}
                {...common}
                value={String(raw)}
                onChange={set}
                multiline={spec.multiline}
                rows={spec.multiline ? 4 : undefined}
                monospace={spec.multiline}
              />
            );
        }
      })}
    </>
  );
}
