/** The Health feature: the screen, the check editor, the host-key dialog and the key passphrase prompt (each takes the API client as a prop). */
export { HealthScreen } from './HealthScreen';
export { CheckEditor, type CheckEditorProps } from './CheckEditor';
export { HostKeyDialog, type HostKeyDialogProps } from './HostKeyDialog';
export { PassphraseDialog, PassphrasePrompts, type PassphraseDialogProps } from './PassphraseDialog';
export { PasswordDialog, type PasswordDialogProps } from './PasswordDialog';
