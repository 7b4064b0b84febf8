/** The whole state of the console: one store composed of the slices, one per area. */
import type { AuditSlice } from './audit-slice';
import type { DrillsSlice } from './drills-slice';
import type { FailoverSlice } from './failover-slice';
import type { HealthSlice } from './health-slice';
import type { RunbooksSlice } from './runbooks-slice';
import type { UiSlice } from './ui-slice';
import type { WorkspaceSlice } from './workspace-slice';

export type AppState = WorkspaceSlice & UiSlice & HealthSlice & FailoverSlice & RunbooksSlice & DrillsSlice & AuditSlice;
