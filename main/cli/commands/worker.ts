import { availableParallelism } from 'node:os'
import { ApiError } from '../../../shared/api'
import { parseQueueUrl, startQueueWorker } from '../../services/queue'
import { badInput, CliError } from '../errors'
import type { RegisterCommand } from './types'

interface WorkerOptions {
  queue: string
  concurrency?: string
  lockMs?: string
}

const wholeNumber = (text: string, option: string, min: number, max: number, example: string) => {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw badInput(
      `${option}: "${text}" is not a whole number from ${min} to ${max}; e.g. ${example}`,
    )
  }
  return n
}

/**
 * `tierlab worker --queue redis://HOST:PORT [--concurrency N]`: runs sweep jobs from the queue on
 * this machine's cores, until Ctrl-C (which lets running jobs finish; a second one stops at once).
 */
export const registerWorker: RegisterCommand = (program, io) => {
  program
    .command('worker')
    .description('run sweep jobs from a Redis queue on this machine (needs no database)')
    .requiredOption('--queue <url>', 'the Redis queue, redis://HOST:PORT')
    .option('--concurrency <n>', 'simulations at once (default: one per core)')
    .option(
      '--lock-ms <ms>',
      'how soon a killed worker’s job goes to another worker, ms (default 30000)',
    )
    .action(async (options: WorkerOptions) => {
      let address
      try {
        address = parseQueueUrl(options.queue)
      } catch (err) {
        throw err instanceof ApiError ? badInput(err.message) : err
      }
      const concurrency =
        options.concurrency === undefined
          ? availableParallelism()
          : wholeNumber(options.concurrency, '--concurrency', 1, 1024, '--concurrency 4')
      const lockMs =
        options.lockMs === undefined
          ? undefined
          : wholeNumber(options.lockMs, '--lock-ms', 500, 3_600_000, '--lock-ms 30000')
      let worker
      try {
        worker = await startQueueWorker({
          address,
          concurrency,
          lockMs,
          log: (line) => io.err(line),
        })
      } catch (err) {
        throw err instanceof ApiError ? badInput(err.message) : err
      }
      io.err(`Worker on ${address.display}: ${concurrency} at once. Ctrl-C stops it.`)
      let presses = 0
      const onSigint = () => {
        presses++
        if (presses > 1) process.exit(130)
        io.err('Stopping after the running jobs… (Ctrl-C again to stop at once)')
        void worker.close()
      }
      process.on('SIGINT', onSigint)
      process.on('SIGTERM', onSigint)
      const { refused } = await worker.stopped
      process.off('SIGINT', onSigint)
      process.off('SIGTERM', onSigint)
      io.err(`Worker stopped after ${worker.completed()} jobs.`)
      if (refused) throw new CliError(`Refused a job: ${refused}.`, 2)
    })
}
