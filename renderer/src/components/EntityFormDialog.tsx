/**
 * The frame of an inventory form (site, server, contact, service, group): the dialog, the form
 * with its error summary at the top, and Cancel / Save at the bottom. The fields are its children.
 */
import type { ReactNode } from 'react';
import { Dialog, DialogBody, FormDialogFooter } from './Dialog';
import { ErrorSummary } from './ErrorSummary';
import type { DraftForm } from './use-draft-form';

export interface EntityFormDialogProps<F> {
  /** What is edited, as people say it: "site", "service group". */
  noun: string;
  /** The entry edited; absent when a new one is added. */
  entity: { name: string } | undefined;
  size: 'medium' | 'large';
  form: DraftForm<F>;
  /** Field key → label, for the error summary. */
  labels: Record<string, string>;
  onClose: () => void;
  /** By default `<noun>-form`. */
  testId?: string;
  /** The save button of a new entry; by default "Add <noun>". */
  addLabel?: string;
  children: ReactNode;
}

export function EntityFormDialog<F>({
  noun,
  entity,
  size,
  form,
  labels,
  onClose,
  testId = `${noun}-form`,
  addLabel = `Add ${noun}`,
  children,
}: EntityFormDialogProps<F>) {
  const title = entity ? `Edit ${noun} ${entity.name}` : `Add a ${noun}`;
  const editing = entity !== undefined;
  return (
    <Dialog title={title} onClose={onClose} size={size} testId={testId}>
      <form onSubmit={form.submit} noValidate className="dialog-form">
        <DialogBody>
          <ErrorSummary form={form} labels={labels} />
          {children}
        </DialogBody>
        <FormDialogFooter onClose={onClose} submitting={form.submitting} editing={editing} addLabel={addLabel} />
      </form>
    </Dialog>
  );
}
