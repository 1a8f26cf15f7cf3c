/**
 * Schema version 6 (engine 0.4): a run's warnings — what the engine says about a result it could
 * not make exact, e.g. epochs whose closed loop did not converge. Nullable: runs archived before
 * keep NULL, which reads as "no warnings recorded".
 */
export const V6_SQL = `
ALTER TABLE runs ADD COLUMN warnings_json TEXT;
`
