/**
 * JavaScript evaluated inside the QuickJS sandbox before the user's module. It receives the host
 * functions (`H`, numbers in, a number out: the fast path of sandbox.ts) and returns the bridge the
 * host calls: load the module, read its metadata, create the instance with a context object that
 * mirrors policies/api.ts `PolicyContext`, and dispatch events. Events arrive as Float64Arrays
 * (one per batch), in the shared event slots (one hint fault) or as numbers read with `H.ev(i)`
 * (the other single events); nothing of the host realm is
 * ever reachable from here. Errors meant for the user start with "@tierlab:" so the host reports
 * them without a stack.
 */
/** Slots of the prelude's hint-fault array (sandbox.ts finds it by its marker values). */
export const EVENT_SLOT_COUNT = 16

/** The marker the prelude writes in slot i of its hint-fault array (computed, so no literal of it exists). */
export function eventSlotMarker(i: number): number {
  return Math.sqrt(2 + i) * 1e-300
}

export const PRELUDE_SOURCE = String.raw`(function (H) {
  'use strict'
  const RealDate = Date
  // The bridge's own batches use the native typed array, not the metered one below.
  const BatchArray = Float64Array
  // No wall clock: Date.now and an argument-less Date give the epoch (simulated time is ctx.nowS).
  class SimDate extends RealDate {
    constructor(...a) {
      if (a.length === 0) super(0)
      else super(...a)
    }
    static now() { return 0 }
  }
  globalThis.Date = SimDate
  // QuickJS's native Array.prototype.fill never polls the interrupt handler and, near the memory
  // limit, spends tens of seconds in its allocator (measured 22 s for new Array(1e6).fill(0) in a
  // loop at 64 MiB): a bytecode loop does the same work inside the CPU budget.
  Object.defineProperty(Array.prototype, 'fill', {
    writable: true,
    configurable: true,
    value: function fill(value, start, end) {
      const o = Object(this)
      const n = o.length >>> 0
      const rel = (x, d) => (x === undefined ? d : (x = Math.trunc(x) || 0) < 0 ? Math.max(n + x, 0) : Math.min(x, n))
      for (let i = rel(start, 0), e = rel(end, n); i < e; i++) o[i] = value
      return o
    },
  })
  // Native built-ins never poll the interrupt handler, and one bytecode step of a loop may start
  // one of them: over a sparse array or an array-like claiming 2^53 - 1 elements it does not hold
  // (new Array(2 ** 32 - 1).join('') spun for ever), or over a large buffer or string again and
  // again (for (;;) bytes.fill(1) on 50 MB ran past any budget: 2,000 fills a tick). Each guarded
  // method first spends bytecode steps in proportion to the native work it is about to do (about
  // what the work costs), so the CPU budget counts it; small arguments spend nothing.
  const MAX_HELD = 1 << 24
  const lengthOf = (o) => {
    if (o === null || o === undefined) return 0
    const n = Math.trunc(Number(Object(o).length))
    return n > 0 ? n : 0
  }
  const spend = (steps) => { for (let i = 1; i < steps; i++); }
  // Elements of an array: beyond what memory can hold, every claimed index is walked.
  const elements = (n, per) => (n > MAX_HELD ? n : n / per)
  const nestedLength = (o, depth) => {
    let n = lengthOf(o)
    if (n <= MAX_HELD && depth > 0) for (let i = 0; i < n && n <= MAX_HELD; i++) if (Array.isArray(o[i])) n += nestedLength(o[i], depth - 1)
    return n
  }
  const guard = (proto, name, steps) => {
    const native = proto[name]
    if (typeof native !== 'function') return
    const guarded = {
      [name]() {
        spend(steps(this, arguments))
        return native.apply(this, arguments)
      },
    }[name]
    Object.defineProperty(guarded, 'length', { value: native.length })
    Object.defineProperty(proto, name, { writable: true, configurable: true, value: guarded })
  }
  const AP = Array.prototype
  for (const name of ['join', 'toLocaleString', 'indexOf', 'lastIndexOf', 'includes', 'forEach', 'map', 'filter', 'some', 'every', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reverse', 'copyWithin', 'splice', 'slice', 'toReversed', 'toSpliced', 'with', 'shift', 'unshift'])
    guard(AP, name, (o) => elements(lengthOf(o), 64))
  for (const name of ['sort', 'toSorted']) guard(AP, name, (o) => elements(lengthOf(o), 8))
  guard(AP, 'concat', (o, args) => {
    let n = lengthOf(o)
    for (let i = 0; i < args.length; i++) if (Array.isArray(args[i])) n += lengthOf(args[i])
    return elements(n, 64)
  })
  guard(AP, 'flat', (o, args) => elements(nestedLength(o, args[0] === undefined ? 1 : Math.max(0, Math.trunc(Number(args[0])) || 0)), 64))
  // Typed arrays and buffers hold what they claim: bulk byte work per KiB, element work per 64.
  const TAP = Object.getPrototypeOf(Int8Array.prototype)
  const bytesOf = (o) => (o !== null && typeof o === 'object' && typeof o.byteLength === 'number' ? o.byteLength : 0)
  for (const name of ['fill', 'copyWithin', 'slice', 'reverse', 'toReversed', 'with'])
    guard(TAP, name, (o) => bytesOf(o) / 1024)
  guard(TAP, 'set', (o, args) => bytesOf(o) / 1024 + lengthOf(args[0]) / 64)
  for (const name of ['indexOf', 'lastIndexOf', 'includes']) guard(TAP, name, (o) => lengthOf(o) / 64)
  for (const name of ['join', 'toLocaleString', 'sort', 'toSorted']) guard(TAP, name, (o) => lengthOf(o) / 8)
  guard(ArrayBuffer.prototype, 'slice', (o) => bytesOf(o) / 1024)
  // A new buffer is zeroed (and a typed array built from another is copied): per KiB again.
  const sizeOf = (args, perElement) => {
    const a = args[0]
    if (typeof a === 'number') return a * perElement
    if (a !== null && typeof a === 'object') return typeof a.byteLength === 'number' ? a.byteLength : lengthOf(a) * perElement
    return 0
  }
  for (const name of ['ArrayBuffer', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']) {
    const Native = globalThis[name]
    if (typeof Native !== 'function') continue
    const per = Native.BYTES_PER_ELEMENT ?? 1
    globalThis[name] = new Proxy(Native, {
      construct(target, args, newTarget) {
        spend(sizeOf(args, per) / 1024)
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget)
      },
    })
  }
  // Strings: searching, splitting, case mapping and padding walk characters.
  const SP = String.prototype
  for (const name of ['indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'split', 'replace', 'replaceAll', 'toUpperCase', 'toLowerCase', 'toLocaleUpperCase', 'toLocaleLowerCase', 'trim', 'trimStart', 'trimEnd', 'normalize', 'localeCompare', 'slice', 'substring', 'concat', 'match', 'matchAll', 'search'])
    guard(SP, name, (o) => lengthOf(o) / 64)
  guard(SP, 'repeat', (o, args) => (lengthOf(o) * (Number(args[0]) || 0)) / 64)
  for (const name of ['padStart', 'padEnd']) guard(SP, name, (o, args) => (Number(args[0]) || 0) / 64)
  // Spreading, Array.from and other native consumers drain an iterator without a bytecode step:
  // the iterator's maker spends for the whole collection up front (for-of pays 1/32 more).
  const sizeOf2 = (o) => (o !== null && typeof o === 'object' && typeof o.size === 'number' ? o.size : lengthOf(o))
  const guardIterators = (proto, size) => {
    for (const name of ['values', 'keys', 'entries']) guard(proto, name, size)
    const values = Object.getOwnPropertyDescriptor(proto, 'values')
    if (values && Object.prototype.hasOwnProperty.call(proto, Symbol.iterator))
      Object.defineProperty(proto, Symbol.iterator, { writable: true, configurable: true, value: values.value })
  }
  guardIterators(AP, (o) => elements(lengthOf(o), 32))
  guardIterators(TAP, (o) => lengthOf(o) / 32)
  guardIterators(Set.prototype, (o) => sizeOf2(o) / 64)
  guardIterators(Map.prototype, (o) => sizeOf2(o) / 64)
  // Array.from creates every element it visits, so memory bounds it: no walk of a claimed length.
  guard(Array, 'from', (o, args) => Math.min(sizeOf2(args[0]), MAX_HELD) / 64)
  for (const name of ['from', 'of']) guard(Object.getPrototypeOf(Int8Array), name, (o, args) => sizeOf2(args[0]) / 64)
  // Where the work is known only from what comes back (a JSON text, a list of keys), it is spent
  // after the call: a loop of such calls still meets the budget at its next tick.
  const guardAfter = (obj, name, steps) => {
    const native = obj[name]
    const guarded = {
      [name]() {
        const out = native.apply(this, arguments)
        spend(steps(out))
        return out
      },
    }[name]
    Object.defineProperty(guarded, 'length', { value: native.length })
    Object.defineProperty(obj, name, { writable: true, configurable: true, value: guarded })
  }
  guardAfter(JSON, 'stringify', (out) => lengthOf(out) / 8)
  guard(JSON, 'parse', (o, args) => lengthOf(String(args[0])) / 64)
  for (const name of ['keys', 'values', 'entries', 'getOwnPropertyNames', 'getOwnPropertySymbols'])
    guardAfter(Object, name, (out) => lengthOf(out) / 64)
  guardAfter(Reflect, 'ownKeys', (out) => lengthOf(out) / 64)
  // flatMap's callback could return a sparse array the native method would walk: map, then flat.
  Object.defineProperty(Array.prototype, 'flatMap', {
    writable: true,
    configurable: true,
    value: function flatMap(f, thisArg) { return Array.prototype.map.call(this, f, thisArg).flat() },
  })
  // No BigInt (transpile.ts refuseBigInt: its C arithmetic ignores the CPU budget), and no
  // eval or Function constructor through which a BigInt literal could still be compiled.
  delete globalThis.BigInt
  delete globalThis.BigInt64Array
  delete globalThis.BigUint64Array
  for (const k of ['getBigInt64', 'getBigUint64', 'setBigInt64', 'setBigUint64']) delete DataView.prototype[k]
  const noEval = function noEval() { throw new EvalError('policy scripts cannot compile code at run time (no eval or Function constructor); write the code in the script') }
  noEval.prototype = Function.prototype
  globalThis.eval = noEval
  globalThis.Function = noEval
  for (const f of [function () {}, function* () {}, async function () {}, async function* () {}])
    Object.defineProperty(Object.getPrototypeOf(f), 'constructor', { value: noEval, writable: true, configurable: true })
  // The run's seeded stream (policies/api.ts ctx.rng), so scripts are deterministic.
  Math.random = function random() { return H.rngNext() }
  const logs = []
  const log = (...a) => { if (logs.length < 500) logs.push(a.map((x) => typeof x === 'string' ? x : JSON.stringify(x)).join(' ')) }
  globalThis.console = Object.freeze({ log, info: log, warn: log, error: log })

  const fail = (code) => { throw new Error('@tierlab:' + code) }
  // A hint fault's fields: the host writes them straight into this array's memory, once it has
  // found the array by the marker written here (sandbox.ts mapEventSlots), so a fault needs no
  // host call per field; until then (or if it is never found) they come through H.ev.
  const EV = new BatchArray(${EVENT_SLOT_COUNT})
  for (let i = 0; i < EV.length; i++) EV[i] = Math.sqrt(2 + i) * 1e-300
  let evMapped = false
  const OUTCOMES = ['migrated', 'no-memory', 'same-node', 'not-allocated', 'queued', 'not-migratable']
  const SPLIT_OUTCOMES = ['split', 'already-split', 'not-huge', 'not-allocated']
  const modeCode = (mode) => {
    if (mode === 'sync') return 0
    if (mode === 'async') return 1
    throw new TypeError('migration mode must be "sync" or "async", got ' + JSON.stringify(mode))
  }
  const whole = (name, v) => {
    // v % 1 === 0 is Number.isInteger for numbers (NaN and ±Infinity give NaN) without a global
    // lookup and a native call (~40 ns in QuickJS; a scripted promotion checks four numbers).
    if (typeof v !== 'number' || v % 1 !== 0 || v < 0) throw new TypeError(name + ' must be a whole number >= 0, got ' + JSON.stringify(v))
    return v
  }
  let def = null
  let inst = null
  let ctx = null
  let seriesNames = []
  let pendingSubs = []
  let currentSubs = '{}'
  // Kernel-thread names cross to the host as numbers: 8 characters of this alphabet per number.
  const NAME_ALPHABET = ' abcdefghijklmnopqrstuvwxyz0123456789-_'
  const NO_NAME = [0, 0, 0]
  const encodeName = (name) => {
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_-]{0,23}$/.test(name)) throw new TypeError('kernelThread must be a lower-case name of at most 24 characters (a-z, 0-9, - and _), got ' + JSON.stringify(name))
    const padded = name.padEnd(24, ' ')
    const out = []
    for (let c = 0; c < 3; c++) {
      let v = 0
      for (let i = 0; i < 8; i++) v = v * NAME_ALPHABET.length + NAME_ALPHABET.indexOf(padded[c * 8 + i])
      out.push(v)
    }
    return out
  }
  // Who pays a move, set by chargeOf: the process or -1, and the encoded kernel-thread name. Not
  // returned as a pair: QuickJS destructures an array through the iterator protocol, ~2 µs a
  // time, which was most of a scripted promotion's time in the sandbox.
  let payProcess = -1
  let payThread = NO_NAME
  const chargeOf = (op, nth, charge) => {
    payProcess = -1
    payThread = NO_NAME
    if (typeof charge === 'number') payProcess = whole('chargeProcess', charge)
    else if (charge !== undefined && charge !== null) {
      if (typeof charge !== 'object') throw new TypeError(op + ': the ' + nth + ' argument is a process number or { chargeProcess, kernelThread }')
      if (charge.chargeProcess !== undefined) payProcess = whole('chargeProcess', charge.chargeProcess)
      if (charge.kernelThread !== undefined) payThread = encodeName(charge.kernelThread)
    }
  }

  function makeContext(env) {
    const sockets = env.sockets
    const processes = env.processes
    currentSubs = JSON.stringify(env.subscriptions ?? {})
    // A thread move changes the process's home node and (for its first thread) its initiator.
    const refreshProcess = (p) => {
      processes[p].homeNode = H.homeNode(p)
      processes[p].initiator = sockets[H.threadSocket(p, 0)] ?? processes[p].initiator
    }
    const rng = Object.freeze({
      next: () => H.rngNext(),
      nextUint32: () => H.rngUint32(),
      nextInt: (n) => H.rngInt(n),
      exp: (rate) => H.rngExp(rate),
      normal: () => H.rngNormal(),
    })
    return Object.freeze({
      analysis: env.analysis,
      pageBytes: env.pageBytes,
      epochS: env.epochS,
      nodeCount: env.nodeCount,
      totalFrames: env.totalFrames,
      processes,
      regions: env.regions,
      rng,
      get nowS() { return H.nowS() },
      get epoch() { return H.epoch() },
      isTopTier: (n) => env.topTier[n] === 1,
      tierOrdinal: (n) => env.tierOrdinal[n],
      nodeCapacityBytes: (n) => env.capacityBytes[n],
      nodeFreeBytes: (n) => H.freeBytes(whole('node', n)),
      nodeUsedBytes: (n) => H.usedBytes(whole('node', n)),
      watermarks: (n) => env.watermarks[n],
      nodeCounters: (n) => ({
        readBytesPerS: H.counter(whole('node', n), 0),
        writeBytesPerS: H.counter(n, 1),
        utilisation: H.counter(n, 2),
        loadedLatencyNs: H.counter(n, 3),
      }),
      nearestCpuNode: (n) => env.cpuNode[n],
      frameNode: (f) => H.frameNode(whole('frame', f)),
      checkAccessed: (f) => H.checkAccessed(whole('frame', f)) === 1,
      migrate: (f, target, mode, charge) => {
        chargeOf('migrate', '4th', charge)
        const k = payThread
        return OUTCOMES[H.migrate(whole('frame', f), whole('targetNode', target), modeCode(mode), payProcess, k[0], k[1], k[2])]
      },
      splitFrame: (f) => SPLIT_OUTCOMES[H.splitFrame(whole('frame', f))],
      isSplit: (f) => H.isSplit(whole('frame', f)) === 1,
      basePageNode: (f, b) => H.basePageNode(whole('frame', f), whole('basePage', b)),
      migrateBasePages: (f, pages, target, mode, charge) => {
        if (!Array.isArray(pages)) throw new TypeError('migrateBasePages: the 2nd argument is an array of base page numbers')
        const frame = whole('frame', f)
        const node = whole('targetNode', target)
        const code = modeCode(mode)
        chargeOf('migrateBasePages', '5th', charge)
        const p = payProcess
        const k = payThread
        for (let i = 0; i < pages.length; i++) H.stageBasePage(whole('basePage', pages[i]))
        return OUTCOMES[H.migrateBasePages(frame, node, code, p, k[0], k[1], k[2])]
      },
      exchange: (a, b, mode, charge) =>
        OUTCOMES[H.exchange(whole('frameA', a), whole('frameB', b), modeCode(mode), charge === undefined ? -1 : whole('chargeProcess', charge))],
      moveThreads: (p, socket) => {
        const s = sockets.indexOf(socket)
        if (s < 0) throw new TypeError('moveThreads: "' + socket + '" is not a socket of the topology; use one of ' + sockets.join(', '))
        H.moveThreads(whole('process', p), s)
        refreshProcess(p)
      },
      queuedToNode: (n) => H.queuedToNode(whole('node', n)),
      threadSocket: (p, t) => sockets[H.threadSocket(whole('process', p), whole('thread', t))],
      moveThread: (p, t, socket) => {
        const s = sockets.indexOf(socket)
        if (s < 0) throw new TypeError('moveThread: "' + socket + '" is not a socket of the topology; use one of ' + sockets.join(', '))
        H.moveThread(whole('process', p), whole('thread', t), s)
        refreshProcess(p)
      },
      swapThreads: (pa, ta, pb, tb) => {
        H.swapThreads(whole('processA', pa), whole('threadA', ta), whole('processB', pb), whole('threadB', tb))
        refreshProcess(pa)
        refreshProcess(pb)
      },
      subscribe: (changes) => {
        if (typeof changes !== 'object' || changes === null) throw new TypeError('subscribe: pass an object such as { samples: { period: 199 } }')
        pendingSubs.push(JSON.stringify(changes))
        H.subscribe()
      },
      subscriptions: () => JSON.parse(currentSubs),
      wakeKswapd: (n) => { H.wakeKswapd(whole('node', n)) },
      chargeCpu: (seconds, to) => {
        if (to && typeof to.process === 'number') H.chargeCpu(seconds, 0, whole('process', to.process))
        else if (to && typeof to.kernelNode === 'number') H.chargeCpu(seconds, 1, whole('kernelNode', to.kernelNode))
        else throw new TypeError('chargeCpu: say whom to charge, { process } or { kernelNode }')
      },
      migratedToNodeBytes: (n) => H.migratedToNodeBytes(whole('node', n)),
      publish: (name, value) => {
        const i = seriesNames.indexOf(name)
        if (i < 0) throw new TypeError('publish: "' + name + '" is not in the policy\'s series; declare it in series: { ' + name + ': { label, unit } }')
        if (typeof value !== 'number') throw new TypeError('publish: the value of "' + name + '" must be a number')
        H.publish(i, value)
      },
    })
  }

  const fault = { frame: 0, node: 0, process: 0, cpuNode: 0, faultTimeMs: 0, scanTimeMs: 0, thread: 0, lastCpuNode: -1, lastProcess: -1, private: true }
  const req = { frame: 0, region: 0, process: 0, defaultNode: 0, sequence: 0 }
  const pass = { process: 0, periodMs: 0, rssBytes: 0 }
  const FAULT_FIELDS = 10

  function rows(buf, width, make) {
    const a = new BatchArray(buf)
    const out = new Array(a.length / width)
    for (let i = 0, k = 0; k < a.length; i++, k += width) out[i] = make(a, k)
    return out
  }

  return {
    load(ns) {
      if (!('default' in ns)) fail('missing-default')
      const d = ns.default
      if (typeof d !== 'object' || d === null) fail('default-not-object')
      def = d
      const hooks = {}
      for (const k of ['subscriptions', 'reclaim', 'create']) hooks[k] = typeof d[k]
      seriesNames = d.series && typeof d.series === 'object' ? Object.keys(d.series) : []
      return JSON.stringify({ name: d.name, description: d.description, knobs: d.knobs === undefined ? {} : d.knobs, series: d.series === undefined ? {} : d.series, hooks })
    },
    subscriptions(knobsJson) {
      return JSON.stringify(typeof def.subscriptions === 'function' ? def.subscriptions(JSON.parse(knobsJson)) ?? {} : {})
    },
    reclaim(knobsJson) {
      return JSON.stringify(typeof def.reclaim === 'function' ? def.reclaim(JSON.parse(knobsJson)) ?? null : null)
    },
    create(knobsJson, envJson) {
      ctx = makeContext(JSON.parse(envJson))
      inst = def.create(JSON.parse(knobsJson), ctx)
      if (typeof inst !== 'object' || inst === null) fail('create-not-object')
      const has = []
      for (const k of ['place', 'onEpoch', 'onHintFault', 'onHintFaults', 'onSamples', 'onCxlHotRecords', 'onGpuCounter', 'onAccessedBits', 'ignoredHintFaultLatencyMs', 'nextScanPeriodMs'])
        if (inst[k] !== undefined) {
          if (typeof inst[k] !== 'function') fail('hook-not-function:' + k)
          has.push(k)
        }
      return JSON.stringify(has)
    },
    fault() {
      if (evMapped) {
        fault.frame = EV[0]; fault.node = EV[1]; fault.process = EV[2]
        fault.cpuNode = EV[3]; fault.faultTimeMs = EV[4]; fault.scanTimeMs = EV[5]
        fault.thread = EV[6]; fault.lastCpuNode = EV[7]; fault.lastProcess = EV[8]; fault.private = EV[9] === 1
      } else {
        fault.frame = H.ev(0); fault.node = H.ev(1); fault.process = H.ev(2)
        fault.cpuNode = H.ev(3); fault.faultTimeMs = H.ev(4); fault.scanTimeMs = H.ev(5)
        fault.thread = H.ev(6); fault.lastCpuNode = H.ev(7); fault.lastProcess = H.ev(8); fault.private = H.ev(9) === 1
      }
      inst.onHintFault(fault, ctx)
    },
    // The host found EV: it reads back what the host wrote in its first slot, then switches over.
    evEcho() { return EV[0] },
    evMapped() { evMapped = true },
    faults(buf) {
      inst.onHintFaults(rows(buf, FAULT_FIELDS, (a, k) => ({ frame: a[k], node: a[k + 1], process: a[k + 2], cpuNode: a[k + 3], faultTimeMs: a[k + 4], scanTimeMs: a[k + 5], thread: a[k + 6], lastCpuNode: a[k + 7], lastProcess: a[k + 8], private: a[k + 9] === 1 })), ctx)
    },
    samples(buf) {
      inst.onSamples(rows(buf, 6, (a, k) => (a[k + 5] < 0 ? { frame: a[k], node: a[k + 1], process: a[k + 2], latencyNs: a[k + 3], write: a[k + 4] === 1 } : { frame: a[k], node: a[k + 1], process: a[k + 2], latencyNs: a[k + 3], write: a[k + 4] === 1, basePage: a[k + 5] })), ctx)
    },
    cxl(node, buf) {
      inst.onCxlHotRecords(node, rows(buf, 2, (a, k) => ({ frame: a[k], count: a[k + 1] })), ctx)
    },
    gpu(buf) {
      inst.onGpuCounter(rows(buf, 5, (a, k) => {
        const n = { process: a[k], frame: a[k + 1], node: a[k + 2], count: a[k + 3] }
        if (a[k + 4] > 0) n.frames = a[k + 4]
        return n
      }), ctx)
    },
    abits(node, checked, buf) { inst.onAccessedBits({ node, checked, accessed: Array.from(new BatchArray(buf)) }, ctx) },
    epoch() { inst.onEpoch(ctx) },
    place() {
      req.frame = H.ev(0); req.region = H.ev(1); req.process = H.ev(2); req.defaultNode = H.ev(3); req.sequence = H.ev(4)
      const n = inst.place(req, ctx)
      if (typeof n !== 'number' || !Number.isInteger(n)) fail('place-not-node:' + JSON.stringify(n))
      return n
    },
    nextScan() {
      pass.process = H.ev(0); pass.periodMs = H.ev(1); pass.rssBytes = H.ev(2)
      const ms = inst.nextScanPeriodMs(pass, ctx)
      if (typeof ms !== 'number' || !(ms > 0)) fail('scan-period:' + JSON.stringify(ms))
      return ms
    },
    cutoff() {
      const c = inst.ignoredHintFaultLatencyMs(ctx)
      if (typeof c === 'number') return JSON.stringify({ latencyMs: [c === Infinity ? null : c], untilMs: [] })
      if (c && Array.isArray(c.untilMs) && Array.isArray(c.latencyMs) && c.latencyMs.length === c.untilMs.length + 1)
        return JSON.stringify({ untilMs: c.untilMs, latencyMs: c.latencyMs.map((v) => (v === Infinity ? null : v)) })
      fail('cutoff-shape')
    },
    logs() { return JSON.stringify(logs.splice(0)) },
    takeSubs() { return JSON.stringify(pendingSubs.splice(0)) },
    setSubs(json) { currentSubs = json },
  }
})`
