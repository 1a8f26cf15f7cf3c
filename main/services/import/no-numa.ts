import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts } from './facts'

/**
 * `no-numa.txt`, which `tierlab capture` writes when /sys/devices/system/node has no node (a
 * container or VM that hides it, a kernel without CONFIG_NUMA): the online CPU count and
 * /proc/meminfo's MemTotal, which the kernel then treats as one node 0.
 */
const HEADER = /^tierlab capture: no NUMA nodes in /

export function looksLikeNoNuma(head: string): boolean {
  return HEADER.test(head.trimStart())
}

export function parseNoNuma(text: string, file: string): MachineFacts {
  const cpus = /^cpus:\s*(\d+)\s*$/m.exec(text)
  const total = /^MemTotal:\s+(\d+) kB\s*$/m.exec(text)
  if (!cpus || Number(cpus[1]) < 1)
    throw new ImportError(
      file,
      'gives no CPU count (its `cpus:` line is missing or 0); run the `tierlab capture` script again, or give `numactl --hardware`',
    )
  const facts = emptyFacts()
  facts.sources.push('capture without NUMA sysfs')
  const n = nodeOf(facts, 0)
  n.cpus = Number(cpus[1])
  if (total) n.capacityBytes = Number(total[1]) * 1024
  facts.warnings.push(
    `${file}: the machine showed no NUMA nodes in sysfs (a container or VM that hides them, or a kernel without NUMA), so it is one node with ${n.cpus} CPUs${total ? ' and MemTotal' : ''}; capture on the host, or give its \`numactl --hardware\`, for the real nodes`,
  )
  return facts
}
