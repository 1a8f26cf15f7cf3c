/**
 * C integer arithmetic as the kernel's memory-tier code does it. struct access_coordinate's fields
 * are `unsigned int` (include/linux/node.h) and MEMTIER_ADISTANCE_DRAM is a plain `int`
 * ([MTH] include/linux/memory-tiers.h), so `int * unsigned` converts to unsigned: every product and
 * quotient in mt_perf_to_adistance is 32-bit unsigned, wraps modulo 2^32 and truncates on division.
 * BigInt keeps the products exact before wrapping (a double loses bits above 2^53).
 */
const U32 = 0xffffffffn

export function u32(x: number | bigint): bigint {
  return BigInt(x) & U32
}

export function u32Add(a: bigint, b: bigint): bigint {
  return (a + b) & U32
}

export function u32Sub(a: bigint, b: bigint): bigint {
  return (a - b) & U32
}

export function u32Mul(a: bigint, b: bigint): bigint {
  return (a * b) & U32
}

/** Unsigned division truncates; the caller checks for a zero divisor as the kernel does. */
export function u32Div(a: bigint, b: bigint): bigint {
  return a / b
}

/** Assigning an unsigned int to an `int` (gcc: two's-complement reinterpretation). */
export function toInt32(a: bigint): number {
  return Number(BigInt.asIntN(32, a))
}

/**
 * The kernel's abs() of an `unsigned int` (include/linux/math.h __abs_choose_expr): the value is
 * first converted to `signed int`, so abs(a - b) of two unsigned ints is the true difference as
 * long as it fits in 31 bits. Returns the `int` result.
 */
export function absOfUnsigned(a: bigint): number {
  const signed = toInt32(a)
  return signed < 0 ? -signed : signed
}
