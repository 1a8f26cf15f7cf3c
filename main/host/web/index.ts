export {
  startWebHost,
  DEFAULT_MAX_BODY_BYTES,
  type WebHost,
  type WebHostOptions,
} from './start-web-host'
export { startWebMode, type WebMode, type WebModeOptions } from './web-mode'
export { defaultStaticDir } from './static-dir'
export { openInBrowser } from './open-browser'
export { CONTENT_SECURITY_POLICY } from './security-headers'
export { TOKEN_COOKIE } from './auth'
export { HEARTBEAT_MS } from './sse'
