/** The Health feature: the screen, the check editor and the host-key dialog (each takes the API client as a prop). */
export { HealthScreen, type HealthScreenProps } from './HealthScreen';
export { CheckEditor, type CheckEditorProps } from './CheckEditor';
export { HostKeyDialog, type HostKeyDialogProps } from './HostKeyDialog';
