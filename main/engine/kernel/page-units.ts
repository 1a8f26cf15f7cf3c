/**
 * The kernel counts watermarks, scan sizes and rate limits in base pages (PAGE_SIZE = 4 KiB on
 * x86-64 and most arm64 builds), whatever the simulated frame size is.
 */
export const KERNEL_PAGE_BYTES = 4096

/** Whole kernel pages in a byte count (rounded down, as the kernel's shifts do). */
export function bytesToKernelPages(bytes: number): number {
  return Math.floor(bytes / KERNEL_PAGE_BYTES)
}
