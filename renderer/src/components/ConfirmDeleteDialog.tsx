/** Asks before deleting, and shows the host's refusal (an entity still in use) in place. */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/api-client';
import { Dialog, DialogBody, DialogFooter } from './Dialog';

export interface ConfirmDeleteDialogProps {
  /** What is deleted, as people say it: `server "web-b"`. */
  subject: string;
  /** One or two sentences on what deleting means. */
  consequence?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Delete confirmation; stays open with the reason when the host refuses. */
export function ConfirmDeleteDialog({ subject, consequence, onConfirm, onClose }: ConfirmDeleteDialogProps) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ inUse: boolean; message: string } | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  // The Delete button disappears with the refusal: move focus to what replaces it.
  useEffect(() => {
    if (refusal) closeButton.current?.focus();
  }, [refusal]);

  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch (error) {
      setRefusal({
        inUse: error instanceof ApiError && error.code === 'in_use',
        message: (error as Error)?.message ?? String(error),
      });
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Delete ${subject}?`} onClose={onClose} size="small" tone="danger" testId="confirm-delete">
      <DialogBody>
        {refusal ? (
          <div className="callout callout-error" role="alert">
            <p className="callout-title">
              {refusal.inUse ? `Cannot delete ${subject}: it is still in use` : `Could not delete ${subject}`}
            </p>
            <p>{refusal.message}</p>
          </div>
        ) : (
          <>
            <p>
              This deletes {subject} from the workspace. {consequence}
            </p>
            <p className="muted">Export a plan file first if you may want it back.</p>
          </>
        )}
      </DialogBody>
      <DialogFooter>
        {refusal ? (
          <button type="button" className="button" onClick={onClose} ref={closeButton}>
            Close
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
            <button type="button" className="button button-danger" onClick={confirm} disabled={busy}>
              {busy ? 'Deleting…' : 'Delete'}
            </button>
          </>
        )}
      </DialogFooter>
    </Dialog>
  );
}
