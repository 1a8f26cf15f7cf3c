/**
 * Round axis ticks with labels that never repeat: the step is 1, 2 or 5 × 10^k of the shown unit
 * (after K/M/G or KiB/MiB/GiB scaling), and labels carry exactly the decimals the step needs.
 * ECharts' own ticks are round in the raw unit, which for bytes (binary) gives 1.86 GiB, and a
 * compact formatter with fixed precision prints 1.2M twice.
 */
export interface NiceAxis {
  min: number
  max: number
  interval: number
  format: (value: number) => string
}

interface Scale {
  factor: number
  suffix: string
}

const DECIMAL: Scale[] = [
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'K' },
]
const BINARY: Scale[] = [
  { factor: 2 ** 40, suffix: ' TiB' },
  { factor: 2 ** 30, suffix: ' GiB' },
  { factor: 2 ** 20, suffix: ' MiB' },
  { factor: 2 ** 10, suffix: ' KiB' },
]

/** The scale a unit's values are shown in, chosen by the largest magnitude. */
function scaleFor(unit: string, maxAbs: number): Scale {
  const bytes = unit === 'B' || unit === 'B/s'
  const tail = unit === 'B/s' ? '/s' : ''
  const base: Scale = { factor: 1, suffix: bytes ? ` B${tail}` : '' }
  if (unit === 'ratio') return base
  for (const s of bytes ? BINARY : DECIMAL)
    if (maxAbs >= s.factor) return { factor: s.factor, suffix: s.suffix + tail }
  return base
}

/** 1, 2 or 5 × 10^k nearest above `rough`. */
function niceStep(rough: number): number {
  const mag = 10 ** Math.floor(Math.log10(rough))
  const norm = rough / mag
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag
}

/** An axis covering [lo, hi] in about `ticks` round steps, labelled in `unit`. */
export function niceAxis(lo: number, hi: number, unit: string, ticks = 4): NiceAxis {
  let a = Number.isFinite(lo) ? lo : 0
  let b = Number.isFinite(hi) ? hi : 1
  if (a > b) [a, b] = [b, a]
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1
    a -= pad
    b += pad
  }
  // Non-negative quantities (counts, bytes, ratios, rates) keep 0 as a floor.
  if (a >= 0 && a < (b - a) * 0.5) a = 0
  const scale = scaleFor(unit, Math.max(Math.abs(a), Math.abs(b)))
  const step = niceStep((b - a) / scale.factor / ticks)
  const min = Math.floor(a / scale.factor / step) * step
  const max = Math.ceil(b / scale.factor / step) * step
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  return {
    min: min * scale.factor,
    max: max * scale.factor,
    interval: step * scale.factor,
    format: (v) => `${(v / scale.factor).toFixed(decimals)}${scale.suffix}`,
  }
}
