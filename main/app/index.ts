/** The Electron main entry (out/main/index.js). Everything else lives in the files beside it. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApp } from './bootstrap'

startApp(path.dirname(fileURLToPath(import.meta.url)))
