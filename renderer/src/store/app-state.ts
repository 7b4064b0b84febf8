/** The whole state of the console: one store composed of the slices. */
import type { UiSlice } from './ui-slice';
import type { WorkspaceSlice } from './workspace-slice';

export type AppState = WorkspaceSlice & UiSlice;
