/**
 * The Content-Security-Policy of the renderer, one string for every surface: the Electron session
 * and its app:// protocol, the web host's responses, and renderer/index.html's meta tag (a test
 * keeps the three equal). Scripts only from our bundle; inline styles because Vue Flow and
 * ECharts set element styles; data:/blob: images for exported chart PNGs; no plugins; nobody
 * may frame us. connect-src 'self' also covers the dev server's HMR websocket in Chromium.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  // No <base> may redirect our relative script URLs, and no form may post anywhere: the app
  // submits nothing by navigation (every request goes through the API client).
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
