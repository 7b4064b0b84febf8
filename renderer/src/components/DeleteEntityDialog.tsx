/** Deleting one inventory entry: asks (ConfirmDeleteDialog), calls its delete method, says it is done. */
import { useApp } from '../store/store-context';
import { selectCall, selectNotify } from '../store/selectors';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';

type DeleteMethod = 'sites.delete' | 'contacts.delete' | 'servers.delete' | 'services.delete' | 'groups.delete';

export interface DeleteEntityDialogProps {
  method: DeleteMethod;
  /** What it is, as people say it: "service group". */
  noun: string;
  entity: { id: number; name: string };
  /** One or two sentences on what deleting means. */
  consequence: string;
  onClose: () => void;
}

export function DeleteEntityDialog({ method, noun, entity, consequence, onClose }: DeleteEntityDialogProps) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  return (
    <ConfirmDeleteDialog
      subject={`${noun} “${entity.name}”`}
      consequence={consequence}
      onClose={onClose}
      onConfirm={async () => {
        await call(method, { id: entity.id });
        notify('success', `Deleted ${noun} ${entity.name}.`);
      }}
    />
  );
}
