import variant from '@jitl/quickjs-wasmfile-release-sync'
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core'
import { PolicyScriptError } from './errors'
import type { ScriptLimits } from './limits'
import { EVENT_SLOT_COUNT, eventSlotMarker, PRELUDE_SOURCE } from './prelude'
import { explainScriptError, type VmError } from './vm-errors'

/**
 * The WebAssembly sandbox of one policy script for one run (DESIGN.md §5). QuickJS compiled to
 * WebAssembly (quickjs-emscripten) is a separate heap and interpreter: the script sees only the
 * ECMAScript built-ins and the bridge of prelude.ts, never Node's realm, `require`, `process`,
 * the file system, the network or timers. Each run gets its own WebAssembly instance, so a script
 * that exhausts its memory or CPU cannot disturb the run next to it.
 */

/** Host functions the sandbox may call: numbers in, one number out. */
export type HostFunctions = Record<HostFunctionName, (args: Float64Array) => number>

export const HOST_FUNCTION_NAMES = [
  'ev',
  'nowS',
  'epoch',
  'rngNext',
  'rngUint32',
  'rngInt',
  'rngExp',
  'rngNormal',
  'freeBytes',
  'usedBytes',
  'counter',
  'frameNode',
  'checkAccessed',
  'migrate',
  'exchange',
  'moveThreads',
  'wakeKswapd',
  'chargeCpu',
  'migratedToNodeBytes',
  'publish',
  'queuedToNode',
  'threadSocket',
  'moveThread',
  'swapThreads',
  'homeNode',
  'subscribe',
  'splitFrame',
  'isSplit',
  'basePageNode',
  'stageBasePage',
  'migrateBasePages',
] as const
export type HostFunctionName = (typeof HOST_FUNCTION_NAMES)[number]

const WASM_PAGE_BYTES = 65536
/** The QuickJS module's own minimum memory (its static data, C stack and first heap), bytes. */
export const QUICKJS_MIN_MEMORY_BYTES = 16 * 1024 * 1024

/** The part of WebAssembly.Memory used here (this project's Node lib declares no WebAssembly). */
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(deltaPages: number): number
}
const WasmMemoryCtor = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemory }
  }
).WebAssembly.Memory

/**
 * The WebAssembly memory of one sandbox, whose maximum is the script's memory limit. QuickJS's
 * own limit (JS_SetMemoryLimit) cannot be the boundary in this build: without
 * malloc_usable_size under Emscripten it counts 8 bytes per allocation, whatever its size, so a
 * "64 MiB" runtime grew its memory to WebAssembly's 2 GiB ceiling before failing (9 s of CPU and
 * 2 GiB of RSS for a loop of 8 MiB typed arrays). A capped memory makes malloc itself fail at the
 * limit, however the script allocates, and QuickJS throws its out-of-memory error there.
 */
export class SandboxMemory {
  readonly memory: WasmMemory
  /** Set once the script asked for more than its limit (even if it caught the error). */
  exhausted = false

  /** The memory's current size: never above max(limitBytes, QUICKJS_MIN_MEMORY_BYTES). */
  bytes(): number {
    return this.memory.buffer.byteLength
  }

  constructor(readonly limitBytes: number) {
    const pages = Math.max(limitBytes, QUICKJS_MIN_MEMORY_BYTES) / WASM_PAGE_BYTES
    this.memory = new WasmMemoryCtor({
      initial: QUICKJS_MIN_MEMORY_BYTES / WASM_PAGE_BYTES,
      maximum: Math.ceil(pages),
    })
    // Emscripten's heap resize calls `memory.grow` and treats a throw as "no memory" (malloc
    // returns NULL): recording it tells the host that the limit, not the script, raised the error.
    const grow = this.memory.grow.bind(this.memory)
    this.memory.grow = (delta: number) => {
      try {
        return grow(delta)
      } catch (err) {
        this.exhausted = true
        throw err
      }
    }
  }
}

/** Loads a fresh WebAssembly instance of QuickJS (its wasm ships inside the npm package). */
export function loadQuickJs(memory: SandboxMemory): Promise<QuickJSWASMModule> {
  // The library types the memory as its lib's WebAssembly.Memory, which differs between the Node
  // lib and the DOM lib (ES2024 buffers) that the E2E typecheck reads this file with; at run time
  // it is a real WebAssembly.Memory either way.
  const wasmMemory = memory.memory as unknown as NonNullable<
    Parameters<typeof newVariant>[1]
  >['wasmMemory']
  return newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory }))
}

/** quickjs-emscripten internals used by the fast host-call path (pinned version 0.32.0). */
interface ContextInternals {
  ffi: {
    QTS_ArgvGetJSValueConstPointer(argv: number, i: number): number
    QTS_GetFloat64(ctx: number, ptr: number): number
    QTS_NewFloat64(ctx: number, n: number): number
    QTS_Call(ctx: number, fn: number, thisVal: number, argc: number, argv: number): number
    QTS_ResolveException(ctx: number, value: number): number
    QTS_FreeValuePointer(ctx: number, value: number): void
  }
  ctx: { value: number }
  memory: { heapValueHandle(ptr: number): QuickJSHandle }
  cToHostCallbacks: {
    callFunction(ctx: number, thisPtr: number, argc: number, argv: number, fnId: number): number
  }
}
interface RuntimeInternals {
  hostRefs: { groups: Map<number, Map<number, unknown>> }
}

const BRIDGE_METHODS = [
  'load',
  'subscriptions',
  'reclaim',
  'create',
  'fault',
  'faults',
  'samples',
  'cxl',
  'gpu',
  'abits',
  'epoch',
  'place',
  'nextScan',
  'cutoff',
  'logs',
  'takeSubs',
  'setSubs',
  'evEcho',
  'evMapped',
] as const
export type BridgeMethod = (typeof BRIDGE_METHODS)[number]
export type BridgeArg = number | string | Float64Array

export class ScriptSandbox {
  private readonly rt: QuickJSRuntime
  private readonly vm: QuickJSContext
  private readonly bridge = new Map<BridgeMethod, QuickJSHandle>()
  private host: HostFunctions | null = null
  private callTicks = 0
  private secondTicks = 0
  private second = -1
  private overBudget: 'call' | 'second' | null = null
  private importAttempt: string | null = null
  private broken: PolicyScriptError | null = null
  /** Interrupt ticks used so far (all calls), for `check-policy` and the benchmark. */
  ticks = 0
  /** Calls into the sandbox so far. */
  calls = 0

  constructor(
    module: QuickJSWASMModule,
    private readonly memory: SandboxMemory,
    readonly fileName: string,
    readonly limits: ScriptLimits,
    private readonly lineOf: (generatedLine: number) => number = (l) => l,
  ) {
    this.rt = module.newRuntime()
    // The capped WebAssembly memory is the boundary (SandboxMemory); QuickJS's own limit still
    // refuses one allocation larger than the whole limit before it reaches malloc.
    this.rt.setMemoryLimit(memory.limitBytes)
    this.rt.setMaxStackSize(limits.stackKiB * 1024)
    this.rt.setInterruptHandler(() => {
      this.ticks++
      // A script that caught its out-of-memory error stops at the next tick, not at its CPU budget.
      if (this.memory.exhausted) return true
      if (++this.callTicks > this.limits.cpuTicksPerHookCall) this.overBudget = 'call'
      else if (++this.secondTicks > this.limits.cpuTicksPerSimulatedS) this.overBudget = 'second'
      return this.overBudget !== null
    })
    // No module is ever loaded: a static or dynamic import names what it wanted and stops.
    this.rt.setModuleLoader((name) => {
      this.importAttempt ??= name
      throw new Error(`the sandbox has no module "${name}"`)
    })
    this.vm = this.rt.newContext()
    const H = this.installHostFunctions()
    const prelude = this.vm.evalCode(PRELUDE_SOURCE, 'tierlab-prelude.js')
    if (prelude.error)
      throw new Error('policy sandbox prelude failed: ' + this.dumpError(prelude.error).message)
    const made = this.vm.callFunction(prelude.value, this.vm.undefined, H)
    prelude.value.dispose()
    H.dispose()
    if (made.error)
      throw new Error('policy sandbox prelude failed: ' + this.dumpError(made.error).message)
    for (const m of BRIDGE_METHODS) this.bridge.set(m, this.vm.getProp(made.value, m))
    made.value.dispose()
    this.mapEventSlots()
  }

  /** Index (in doubles) of the prelude's hint-fault array in the sandbox's memory, or -1. */
  private eventAt = -1
  private eventView = new Float64Array(0)

  /**
   * Finds the prelude's hint-fault array in the sandbox's memory by the marker it holds (QuickJS
   * keeps an ArrayBuffer's bytes where they were allocated), checks the find by a value written
   * there and read back inside, and tells the prelude to read faults from it. A hint fault's ten
   * fields then cost ten stores here instead of ten host calls from there (wasm → JS round trips:
   * ~1 µs of each scripted fault). Not found, faults keep coming through H.ev.
   */
  private mapEventSlots(): void {
    const words = new Float64Array(this.memory.memory.buffer)
    const first = eventSlotMarker(0)
    for (let i = 0; i + EVENT_SLOT_COUNT <= words.length; i++) {
      if (words[i] !== first) continue
      let k = 1
      while (k < EVENT_SLOT_COUNT && words[i + k] === eventSlotMarker(k)) k++
      if (k < EVENT_SLOT_COUNT) continue
      const probe = 0.5 + i
      words[i] = probe
      if (this.callBare('evEcho', 'mapping the event slots') !== probe) return
      this.eventAt = i
      this.callBare('evMapped', 'mapping the event slots')
      this.calls -= 2
      return
    }
  }

  /** Where a hint fault's fields go (slots 0-9) before the 'fault' call, or null: use H.ev. */
  eventSlots(): Float64Array | null {
    if (this.eventAt < 0) return null
    const buffer = this.memory.memory.buffer
    // Growing the memory replaces its buffer; the slots stay at the same address.
    if (this.eventView.buffer !== buffer)
      this.eventView = new Float64Array(buffer, this.eventAt * 8, EVENT_SLOT_COUNT)
    return this.eventView
  }

  /** Host functions bypass quickjs-emscripten's generic (generator-based) trampoline: 0.5 µs, not 30. */
  private installHostFunctions(): QuickJSHandle {
    const vm = this.vm
    const internals = vm as unknown as ContextInternals
    const refs = (this.rt as unknown as RuntimeInternals).hostRefs.groups
    const byId = new Map<number, HostFunctionName>()
    const H = vm.newObject()
    for (const name of HOST_FUNCTION_NAMES) {
      const marker = (): undefined => undefined
      const fn = vm.newFunction(name, marker)
      for (const group of refs.values())
        for (const [id, value] of group) if (value === marker) byId.set(id, name)
      vm.setProp(H, name, fn)
      fn.dispose()
    }
    if (byId.size !== HOST_FUNCTION_NAMES.length)
      throw new Error('policy sandbox: quickjs-emscripten internals changed; pin version 0.32.0')
    const ffi = internals.ffi
    const generic = internals.cToHostCallbacks.callFunction
    const args = new Float64Array(8)
    internals.cToHostCallbacks.callFunction = (ctxPtr, thisPtr, argc, argv, fnId) => {
      const name = byId.get(fnId)
      if (name === undefined) return generic(ctxPtr, thisPtr, argc, argv, fnId)
      for (let i = 0; i < 8; i++)
        args[i] =
          i < argc ? ffi.QTS_GetFloat64(ctxPtr, ffi.QTS_ArgvGetJSValueConstPointer(argv, i)) : NaN
      try {
        if (this.host === null)
          throw new Error(
            name === 'rngNext'
              ? "Math.random is the run's seeded stream, usable only inside create() and the hooks; draw the numbers there"
              : 'ctx is usable only inside create() and the hooks',
          )
        return ffi.QTS_NewFloat64(ctxPtr, this.host[name](args))
      } catch (err) {
        return vm.throw(err instanceof Error ? err : new Error(String(err)))
      }
    }
    return H
  }

  /** Binds the host functions to a run's context (null while loading the module). */
  bind(host: HostFunctions | null): void {
    this.host = host
  }

  /** Starts a new simulated second for the per-second CPU budget. */
  enterSecond(second: number): void {
    if (second !== this.second) {
      this.second = second
      this.secondTicks = 0
    }
  }

  /** Evaluates the user's module and returns its metadata (JSON from the prelude's `load`). */
  loadModule(jsSource: string): string {
    this.callTicks = 0
    const res = this.guard('loading the module', () =>
      this.vm.evalCode(jsSource, this.fileName, { type: 'module', strict: true }),
    )
    if (res.error) throw this.fail(res.error, 'loading the module')
    const state = this.vm.getPromiseState(res.value)
    if (state.type !== 'fulfilled' || !state.notAPromise) {
      res.value.dispose()
      throw new PolicyScriptError(
        this.fileName,
        'uses top-level await; a policy module must load synchronously, so remove the await',
      )
    }
    try {
      return this.call('load', [], 'loading the module', res.value) as string
    } finally {
      res.value.dispose()
    }
  }

  /**
   * The hot path (one hint fault, onEpoch, place, nextScanPeriodMs): a bridge method without
   * arguments whose result is a number or undefined, called through QuickJS's C API directly.
   * quickjs-emscripten's callFunction wraps every pointer in lifetime objects (~2 µs a call); this
   * is the same C call without them.
   */
  callBare(method: BridgeMethod, what: string): number {
    if (this.broken) throw this.broken
    const internals = this.vm as unknown as ContextInternals
    const ffi = internals.ffi
    const ctx = internals.ctx.value
    this.calls++
    this.callTicks = 0
    const fn = this.bridge.get(method)!
    const resultPtr = this.guard(what, () =>
      ffi.QTS_Call(ctx, fn.value, this.vm.undefined.value, 0, 0),
    )
    const errorPtr = ffi.QTS_ResolveException(ctx, resultPtr)
    if (errorPtr) {
      ffi.QTS_FreeValuePointer(ctx, resultPtr)
      throw this.fail(internals.memory.heapValueHandle(errorPtr), what)
    }
    const out = ffi.QTS_GetFloat64(ctx, resultPtr)
    ffi.QTS_FreeValuePointer(ctx, resultPtr)
    if (this.rt.hasPendingJob()) {
      const jobs = this.rt.executePendingJobs()
      if (jobs.error) throw this.fail(jobs.error, what)
    }
    if (this.importAttempt !== null || this.memory.exhausted) throw this.fail(null, what)
    return out
  }

  /** Calls a bridge method; a string, number or undefined comes back. */
  call(
    method: BridgeMethod,
    args: readonly BridgeArg[],
    what: string,
    extra?: QuickJSHandle,
  ): string | number | undefined {
    if (this.broken) throw this.broken
    const vm = this.vm
    const handles: QuickJSHandle[] = []
    // A batch copied into a sandbox the script has filled can be what exceeds its limit.
    this.guard(what, () => {
      for (const a of args) {
        if (typeof a === 'number') handles.push(vm.newNumber(a))
        else if (typeof a === 'string') handles.push(vm.newString(a))
        else
          handles.push(vm.newArrayBuffer(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)))
      }
    })
    if (this.memory.exhausted) throw this.fail(null, what)
    if (extra) handles.push(extra)
    this.calls++
    this.callTicks = 0
    const res = this.guard(what, () =>
      vm.callFunction(this.bridge.get(method)!, vm.undefined, handles),
    )
    for (const h of handles) if (h !== extra) h.dispose()
    if (res.error) throw this.fail(res.error, what)
    if (this.rt.hasPendingJob()) {
      const jobs = this.rt.executePendingJobs()
      if (jobs.error) throw this.fail(jobs.error, what)
    }
    if (this.importAttempt !== null || this.memory.exhausted) throw this.fail(null, what)
    const v = res.value
    const t = vm.typeof(v)
    const out = t === 'string' ? vm.getString(v) : t === 'number' ? vm.getNumber(v) : undefined
    v.dispose()
    return out
  }

  /**
   * Runs a call into the sandbox. QuickJS's own stack limit normally stops deep recursion; should
   * the host's stack run out first (WebAssembly frames live on it), the sandbox is given up.
   */
  private guard<T>(what: string, f: () => T): T {
    try {
      return f()
    } catch (err) {
      // QuickJS handles a failed malloc itself; should the C code give up instead (an Emscripten
      // abort), the exhausted memory is still the reason.
      if (this.memory.exhausted) throw this.fail(null, what)
      if (!(err instanceof RangeError)) throw err
      this.broken = explainScriptError(
        { name: 'InternalError', message: 'stack overflow', stack: '' },
        {
          fileName: this.fileName,
          what,
          overBudget: null,
          importAttempt: null,
          outOfMemory: false,
          limits: this.limits,
          lineOf: this.lineOf,
        },
      )
      throw this.broken
    }
  }

  private dumpError(h: QuickJSHandle): VmError {
    const d = this.vm.dump(h) as unknown
    h.dispose()
    if (typeof d === 'object' && d !== null) {
      const o = d as Record<string, unknown>
      return {
        name: typeof o.name === 'string' ? o.name : 'Error',
        message: typeof o.message === 'string' ? o.message : JSON.stringify(d),
        stack: typeof o.stack === 'string' ? o.stack : '',
      }
    }
    // Out of memory, QuickJS cannot even build the error object and throws null instead; the
    // host then names the limit (explainScriptError's outOfMemory).
    return { name: 'Error', message: String(d), stack: '' }
  }

  /** One clear error; the sandbox refuses further calls after it (its state is unknown). */
  private fail(h: QuickJSHandle | null, what: string): PolicyScriptError {
    const e = h ? this.dumpError(h) : { name: 'Error', message: '', stack: '' }
    const err = explainScriptError(e, {
      fileName: this.fileName,
      what,
      overBudget: this.overBudget,
      importAttempt: this.importAttempt,
      outOfMemory: this.memory.exhausted,
      limits: this.limits,
      lineOf: this.lineOf,
    })
    this.broken = err
    return err
  }

  /** What the script printed with console.log (drained). */
  takeLogs(): string[] {
    if (this.broken) return []
    const json = this.call('logs', [], 'reading its log')
    return typeof json === 'string' ? (JSON.parse(json) as string[]) : []
  }

  dispose(): void {
    // A runtime stopped by an exhausted limit may hold objects QuickJS cannot free, and freeing it
    // then fails an assertion that Emscripten prints to stderr: drop the whole WebAssembly
    // instance with this sandbox instead.
    if (this.broken) return
    try {
      for (const h of this.bridge.values()) h.dispose()
      this.vm.dispose()
      this.rt.dispose()
    } catch {
      // As above: the instance is dropped with this sandbox anyway.
    }
  }
}
