export { ConnectionChecker, type CheckState } from './ConnectionChecker';
export { checkConnection, turnServersOf } from './checkConnection';
export type { ConnectionReport, Verdict, VerdictReason, TurnStatus } from './verdict';
