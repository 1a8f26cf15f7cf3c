import { scriptLimitsSchema, type ScriptLimits } from '../../../../shared/formats/script-limits'

// The schema lives with the experiment format: an experiment may raise a script's limits
// (`policy.limits`), and the sandbox applies the same schema.
export { scriptLimitsSchema, type ScriptLimits }

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = scriptLimitsSchema.parse({})
