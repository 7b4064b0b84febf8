/** A table row's Edit and Delete buttons (named for the row, for screen readers), after any others. */
import type { ReactNode } from 'react';

export function RowActions({
  name,
  onEdit,
  onDelete,
  children,
}: {
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  return (
    <td className="row-actions">
      {children}
      <button type="button" className="button button-small" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </button>
      <button
        type="button"
        className="button button-small button-quiet-danger"
        onClick={onDelete}
        aria-label={`Delete ${name}`}
      >
        Delete
      </button>
    </td>
  );
}

/** The header of the RowActions column: empty to the eye, named for screen readers. */
export function RowActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}
