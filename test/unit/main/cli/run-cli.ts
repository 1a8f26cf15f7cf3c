import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { resolveProjectRoot } from '../../../../main/services'

export const ROOT = resolveProjectRoot()
export const BIN = join(ROOT, 'bin', 'tierlab.mjs')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** `node bin/tierlab.mjs …` as a user runs it, from the project folder, TIERLAB_DB unset. */
export function runCli(
  args: string[],
  command: string[] = [process.execPath, BIN],
  timeoutMs = 60_000,
): Promise<CliResult> {
  const env = { ...process.env }
  delete env.TIERLAB_DB
  return new Promise((resolve) => {
    execFile(
      command[0],
      [...command.slice(1), ...args],
      { cwd: ROOT, env, timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** Starts `tierlab serve …` and resolves with the printed URL once the server listens. */
export function startServe(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env }
  delete env.TIERLAB_DB
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (c: string) => (err += c))
    child.stdout.on('data', (c: string) => {
      out += c
      const m = /Tierlab web mode: (\S+)/.exec(out)
      if (m) resolve({ child, url: m[1] })
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
  })
}
