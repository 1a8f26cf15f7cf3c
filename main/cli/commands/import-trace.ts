import cliProgress from 'cli-progress'
import { processSchema } from '../../../shared/formats/workload'
import { ImportError } from '../../services/import/errors'
import { TRACE_FORMATS, type TraceFormat } from '../../services/import/trace/import-trace'
import { importTraceFiles } from '../../services/import/trace/read-trace'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import { badInput } from '../errors'
import { writeFileAtomic } from '../write-file'
import type { RegisterCommand } from './types'

interface ImportTraceOptions extends CommonOptions {
  format?: string
  initiator: string
  pageBytes?: string
  phases?: string
  durationS?: string
  name?: string
  instructions?: boolean
  out?: string
}

function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw badInput(`${flag} ${v}: give a number above 0`)
  return n
}

/** A byte bar on stderr while a large trace streams, only when stderr is a terminal. */
function progress() {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{bar} {percentage}% | {readMiB}/{totalMiB} MiB read',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(read: number, total: number) {
      const mib = (b: number) => (b / 2 ** 20).toFixed(0)
      if (!started) bar.start(total, 0, { readMiB: '0', totalMiB: mib(total) })
      started = true
      bar.update(read, { readMiB: mib(read), totalMiB: mib(total) })
    },
    stop: () => started && bar.stop(),
  }
}

/** `tierlab import-trace FILE…`: a memory trace in, a tierlab.workload/v1 out. */
export const registerImportTrace: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('import-trace')
      .description(
        'turn a damo record, perf script, Valgrind Lackey or drmemtrace view output into a workload',
      )
      .argument('<files...>', 'trace files of one run (plain or .gz)')
      .option(
        '--format <format>',
        `the trace format, when detection picks wrong (${TRACE_FORMATS.join(', ')})`,
      )
      .option('--initiator <component>', 'the socket or GPU component every process runs on', 's0')
      .option(
        '--page-bytes <n>',
        'hotness granularity in bytes: 4096 (default) or a larger power of two',
      )
      .option('--phases <n>', 'at most this many phases, from time (or access-count) windows', '4')
      .option(
        '--duration-s <s>',
        'traces without time: seconds to spread their accesses over',
        '60',
      )
      .option(
        '--instructions',
        "Lackey: count instruction fetches (I lines) as reads, so the program's code pages join the footprint",
      )
      .option('--name <name>', 'name of the workload')
      .option('--out <file>', 'write the workload JSON to FILE (warnings go to stderr)'),
  ).action(async (files: string[], options: ImportTraceOptions) => {
    if (
      options.format !== undefined &&
      !(TRACE_FORMATS as readonly string[]).includes(options.format)
    )
      throw badInput(`--format ${options.format}: use one of ${TRACE_FORMATS.join(', ')}`)
    const initiator = processSchema.shape.initiator.safeParse(options.initiator)
    if (!initiator.success)
      throw badInput(
        `--initiator ${JSON.stringify(options.initiator)} ${initiator.error.issues[0].message}; give the id of a socket or GPU of your topology (s0 is the first socket)`,
      )
    const bar = progress()
    let result
    try {
      result = await importTraceFiles(
        files,
        {
          format: options.format as TraceFormat | undefined,
          initiator: options.initiator,
          pageBytes: wholeNumber('--page-bytes', options.pageBytes),
          phases: wholeNumber('--phases', options.phases),
          durationS: wholeNumber('--duration-s', options.durationS),
          name: options.name,
          instructions: options.instructions === true,
        },
        (read, total) => bar.update(read, total),
      )
    } catch (err) {
      if (err instanceof ImportError) throw badInput(err.message)
      throw err
    } finally {
      bar.stop()
    }
    const { workload, warnings, summary, format } = result
    for (const w of warnings) io.err(`warning: ${w}`)
    if (options.out) await writeFileAtomic(options.out, `${JSON.stringify(workload, null, 2)}\n`)
    if (options.json) printJson(io, workload)
    else {
      io.out(
        `${workload.name}: ${format} trace, ${summary.accesses} accesses, ${summary.footprintBytes} bytes touched (${(summary.footprintBytes / 2 ** 20).toFixed(2)} MiB) in ${summary.regions} region(s), ${summary.processes} process(es), ${summary.phases} phase(s); initiator ${options.initiator}.`,
      )
      io.out(
        options.out
          ? `Wrote ${options.out}.`
          : 'Give --out FILE to save it, or --json to print it.',
      )
    }
  })
}
