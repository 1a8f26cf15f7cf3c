// Self time per function of a .cpuprofile: `node bench/summarise-profile.mjs file.cpuprofile [n]`
import { readFileSync } from 'node:fs'
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const n = Number(process.argv[3] ?? 30)
const byId = new Map(prof.nodes.map((x) => [x.id, x]))
const self = new Map()
const dt = prof.timeDeltas
let total = 0
for (let i = 0; i < prof.samples.length; i++) {
  const node = byId.get(prof.samples[i])
  const cf = node.callFrame
  const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0))
  total += dt[i] ?? 0
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
for (const [k, v] of rows)
  console.log(
    `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`,
  )
console.log(`total ${(total / 1000).toFixed(0)} ms`)
