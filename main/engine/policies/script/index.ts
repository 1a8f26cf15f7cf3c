import { createHash } from 'node:crypto'
import type { PolicyDefinition } from '../api'
import { scriptDefinition } from './adapter'
import { scriptLimitsSchema, type ScriptLimits } from './limits'
import { loadQuickJs, SandboxMemory, ScriptSandbox } from './sandbox'
import { languageOf, toRunnable, type ScriptLanguage } from './transpile'

export { PolicyScriptError } from './errors'
export { DEFAULT_SCRIPT_LIMITS, scriptLimitsSchema, type ScriptLimits } from './limits'
export { languageOf, type ScriptLanguage } from './transpile'

/** A user policy ready for one run. Dispose it when the run ends (it holds a WebAssembly heap). */
export interface ScriptPolicy {
  def: PolicyDefinition
  /** Lines the script printed with console.log since the last call (at most 500 are kept). */
  takeLogs(): string[]
  /** Calls into the sandbox, CPU ticks and the sandbox's WebAssembly memory (bytes) so far. */
  usage(): { calls: number; ticks: number; memoryBytes: number }
  dispose(): void
}

export interface CompileOptions {
  /** Shown in every error ("policy script "my-policy.js" line 3: …"). */
  fileName: string
  language?: ScriptLanguage
  limits?: Partial<ScriptLimits>
}

/** sha256 of a script's source, hex: archived with the run so a rerun uses the same bytes. */
export function scriptHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex')
}

/**
 * Loads a policy script into a fresh sandbox and returns its definition. Throws PolicyScriptError
 * (one sentence with the script, the line and the fix) when it cannot load: syntax error, missing
 * default export, knob without default, a module import, a CPU or memory limit at load time.
 */
export async function compileScriptPolicy(
  source: string,
  options: CompileOptions,
): Promise<ScriptPolicy> {
  const limits = scriptLimitsSchema.parse(options.limits ?? {})
  const language = options.language ?? languageOf(options.fileName)
  const runnable = toRunnable(source, options.fileName, language)
  const memory = new SandboxMemory(limits.memoryMiB * 1024 * 1024)
  const module = await loadQuickJs(memory)
  const sb = new ScriptSandbox(module, memory, options.fileName, limits, runnable.lineOf)
  try {
    const meta = sb.loadModule(runnable.js)
    const { def } = scriptDefinition(sb, `script:${options.fileName}`, meta)
    return {
      def,
      takeLogs: () => sb.takeLogs(),
      usage: () => ({ calls: sb.calls, ticks: sb.ticks, memoryBytes: memory.bytes() }),
      dispose: () => sb.dispose(),
    }
  } catch (err) {
    sb.dispose()
    throw err
  }
}
