/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload: it patches require itself */
// Preloaded into @doyensec/electronegativity by scripts/scan-electron.mjs. The scanner requires
// `commander` without declaring it (it wants the v5 that @electron/asar brings); in this project
// `commander` resolves to our v14, whose API differs. Only the scanner's own requires are sent to
// the v5 copy; everything else resolves as usual.
const Module = require('node:module')
const path = require('node:path')

const scanner = path.dirname(require.resolve('@doyensec/electronegativity/package.json'))
const asar = path.dirname(require.resolve('@electron/asar/package.json', { paths: [scanner] }))
const commanderV5 = require.resolve('commander', { paths: [asar] })
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(scanner + path.sep))
    return commanderV5
  return resolve.call(this, request, parent, ...rest)
}
