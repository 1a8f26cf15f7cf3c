import { z } from 'zod'
import type { PolicyInfo } from './api/contract'
import { MAX_SCRIPT_CHARS } from './formats/experiment'

/**
 * User policies saved in the library (DESIGN.md §5): a script under a file-like name, versioned —
 * every save with a changed source adds a version, so an archived run's sha256 still finds the
 * code it ran.
 */

/** `promote-sampled.js`, `my_policy.ts`: letters, digits, - _ . and a .js or .ts ending. */
export const userPolicyNameSchema = z
  .string()
  .min(4)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.(js|ts)$/, {
    error: 'must be a file name such as "my-policy.js" or "my-policy.ts" (letters, digits, - _ .)',
  })

export const userPolicySourceSchema = z.string().max(MAX_SCRIPT_CHARS)

export interface UserPolicySummary {
  name: string
  language: 'js' | 'ts'
  /** The newest version number (1, 2, …). */
  version: number
  /** The script's own `name` and `description` at that version ('' when it did not load). */
  title: string
  description: string
  sourceSha256: string
  createdAt: string
  updatedAt: string
}

export interface UserPolicy extends UserPolicySummary {
  source: string
}

/** One problem of a script at a line of its source (1-based), as the editor underlines it. */
export interface ScriptDiagnostic {
  line: number | null
  message: string
}

export interface ScriptCheckResult {
  ok: boolean
  diagnostics: ScriptDiagnostic[]
  /** The policy as the experiment builder shows it (knobs for the form), when it loaded. */
  policy?: PolicyInfo
}

export interface PolicyTemplate {
  /** File name to save a copy under. */
  name: string
  title: string
  source: string
}
