/**
 * Schema version 3 (engine 0.3): the per-node placement at the end of a run (`tierlab run --json`'s
 * `nodes`), and a series' better-direction, which a policy may give for the series it publishes
 * (the metric catalogue knows the engine's own). Both are nullable: runs archived before keep
 * NULL, which reads as "no nodes recorded" and "direction from the catalogue".
 */
export const V3_SQL = `
ALTER TABLE runs ADD COLUMN nodes_json TEXT;
ALTER TABLE run_series ADD COLUMN better TEXT CHECK (better IN ('higher', 'lower', 'neutral'));
`
