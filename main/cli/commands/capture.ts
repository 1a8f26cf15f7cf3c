import { captureScript } from '../../services/import/capture-script'
import { printJson, withCommonOptions, type CommonOptions } from '../context'
import type { RegisterCommand } from './types'

/** `tierlab capture`: prints the collection script; run it with `sh` on the machine to import. */
export const registerCapture: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('capture')
      .description(
        "print a POSIX sh script that collects a machine's NUMA, HMAT, CXL and memory-tier data into a tar.gz for import-machine",
      )
      .addHelpText(
        'after',
        '\nExample: tierlab capture > capture.sh; scp capture.sh host:; ssh host sh capture.sh',
      ),
  ).action((options: CommonOptions) =>
    options.json ? printJson(io, { script: captureScript() }) : io.out(captureScript()),
  )
}
