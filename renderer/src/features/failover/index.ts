/** The failover feature's screens; each takes the API client as its `api` prop. */
export { FailoverScreen } from './FailoverScreen';
export { RunbookEditor } from './RunbookEditor';
export { AuditScreen } from './AuditScreen';
export { DrillsScreen } from './DrillsScreen';
export { RunPanel } from './RunPanel';
