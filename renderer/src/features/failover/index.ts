/** The failover feature's screens; each reads what it shows from the store. */
export { FailoverScreen } from './FailoverScreen';
export { RunbookEditor } from './RunbookEditor';
export { AuditScreen } from './AuditScreen';
export { DrillsScreen } from './DrillsScreen';
export { RunPanel } from './RunPanel';
