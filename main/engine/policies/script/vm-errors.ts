import { PolicyScriptError } from './errors'
import type { ScriptLimits } from './limits'

/** An error as QuickJS reports it (its stack names the script's file and line). */
export interface VmError {
  name: string
  message: string
  stack: string
}

export interface ErrorContext {
  fileName: string
  /** What the host was doing: 'loading the module', 'onHintFault', … */
  what: string
  overBudget: 'call' | 'second' | null
  importAttempt: string | null
  /** The sandbox asked for more WebAssembly memory than its limit (sandbox.ts SandboxMemory). */
  outOfMemory: boolean
  limits: ScriptLimits
  /** Maps a line of the JavaScript that ran to the line of the source the user wrote. */
  lineOf: (generatedLine: number) => number
}

const HOST_GLOBALS = new Set([
  'require',
  'process',
  'module',
  'exports',
  'Buffer',
  'fs',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'performance',
  'global',
  '__dirname',
  '__filename',
])

/** Messages of the prelude's `fail('@tierlab:code')`, in words with the fix. */
function preludeMessage(code: string): string {
  const [key, rest] = [code.split(':')[0], code.slice(code.indexOf(':') + 1)]
  switch (key) {
    case 'missing-default':
      return 'has no default export; end it with `export default { name, description, knobs, subscriptions, create }`'
    case 'default-not-object':
      return 'its default export is not an object; export `{ name, description, knobs, subscriptions, create }`'
    case 'create-not-object':
      return 'create(knobs, ctx) did not return an object of hooks; return e.g. `{ onSamples(samples, ctx) { … } }`'
    case 'hook-not-function':
      return `the hook "${rest}" returned by create() is not a function; make it a function or remove it`
    case 'place-not-node':
      return `place() returned ${rest}, not a node number; return a node id or req.defaultNode`
    case 'scan-period':
      return `nextScanPeriodMs() returned ${rest}; return a period in ms greater than 0`
    case 'cutoff-shape':
      return 'ignoredHintFaultLatencyMs(ctx) must return a number (ms; Infinity to see every fault) or { untilMs: number[], latencyMs: number[] } with one more latency than breakpoints'
    default:
      return code
  }
}

/** The first line of the user's file in a QuickJS stack ("at f (file.js:12:5)"). */
function lineInStack(stack: string, fileName: string): number | undefined {
  const esc = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`${esc}:(\\d+)`).exec(stack)
  return m ? Number(m[1]) : undefined
}

/**
 * One sentence naming the script, the line and the fix, never a stack of Tierlab's internals.
 * Limits come first: a script stopped by its CPU budget or memory limit gets that reason even
 * though QuickJS reports it as an "interrupted" or "out of memory" error at some line.
 */
export function explainScriptError(e: VmError, c: ErrorContext): PolicyScriptError {
  const generated = lineInStack(e.stack, c.fileName)
  const line = generated !== undefined ? c.lineOf(generated) : undefined
  const during = c.what === 'loading the module' ? 'while loading' : `in ${c.what}`
  if (c.outOfMemory || (e.name === 'InternalError' && /out of memory/i.test(e.message)))
    return new PolicyScriptError(
      c.fileName,
      `${during} exceeded its memory limit of ${c.limits.memoryMiB} MiB; keep less state (typed arrays, bounded maps) or raise the experiment's policy.limits.memoryMiB (16 to 1024)`,
      line,
    )
  if (c.overBudget === 'call')
    return new PolicyScriptError(
      c.fileName,
      `${during} used more than its CPU budget of ${c.limits.cpuTicksPerHookCall} ticks per hook call (an endless loop?); make the hook do less per call or raise the experiment's policy.limits.cpuTicksPerHookCall`,
      line,
    )
  if (c.overBudget === 'second')
    return new PolicyScriptError(
      c.fileName,
      `${during} used more than its CPU budget of ${c.limits.cpuTicksPerSimulatedS} ticks per simulated second; do less work per event or raise the experiment's policy.limits.cpuTicksPerSimulatedS`,
      line,
    )
  if (c.importAttempt !== null)
    return new PolicyScriptError(
      c.fileName,
      `${during} tried to import "${c.importAttempt}", but policy scripts run in a sandbox without modules, file system, network or process; inline the code you need`,
      line,
    )
  // Strings concatenate as ropes, so doubling one reaches QuickJS's length cap before any memory.
  if (e.name === 'InternalError' && /string too long/i.test(e.message))
    return new PolicyScriptError(
      c.fileName,
      `${during} built a string longer than the sandbox allows (2^30 - 1 characters); keep less text or keep it in pieces`,
      line,
    )
  if (/stack overflow/i.test(e.message))
    return new PolicyScriptError(
      c.fileName,
      `${during} recursed too deep (stack overflow in ${c.limits.stackKiB} KiB); use a loop instead of recursion`,
      line,
    )
  if (e.message.startsWith('@tierlab:'))
    return new PolicyScriptError(c.fileName, preludeMessage(e.message.slice(9)), line)
  if (e.name === 'SyntaxError')
    return new PolicyScriptError(
      c.fileName,
      `has a syntax error: ${e.message}; fix the code there`,
      line,
    )
  const missing = /'?([A-Za-z_$][\w$]*)'? is not defined/.exec(e.message)
  if (e.name === 'ReferenceError' && missing && HOST_GLOBALS.has(missing[1]))
    return new PolicyScriptError(
      c.fileName,
      `${during} used "${missing[1]}", which does not exist in the policy sandbox (no require, process, file system, network, timers or wall clock); use only ctx and plain JavaScript`,
      line,
    )
  if (
    e.name === 'ReferenceError' &&
    missing &&
    /^Big(Int|Int64Array|Uint64Array)$/.test(missing[1])
  )
    return new PolicyScriptError(
      c.fileName,
      `${during} used "${missing[1]}", which policy scripts do not have (BigInt arithmetic cannot be stopped by the CPU budget); use a Number`,
      line,
    )
  return new PolicyScriptError(
    c.fileName,
    `${during} threw ${e.name}: ${e.message}; fix the script`,
    line,
  )
}
