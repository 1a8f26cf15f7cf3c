/** Environment variables through which global-setup.ts hands the web host to the tests. */
export const E2E_ENV = {
  /** The URL `tierlab serve` printed, with `?token=`. */
  url: 'TIERLAB_E2E_URL',
  /** Its origin, for API requests. */
  origin: 'TIERLAB_E2E_ORIGIN',
  token: 'TIERLAB_E2E_TOKEN',
  /** The temporary database file the host uses. */
  db: 'TIERLAB_E2E_DB',
} as const

export function e2eEnv(name: keyof typeof E2E_ENV): string {
  const value = process.env[E2E_ENV[name]]
  if (!value)
    throw new Error(`${E2E_ENV[name]} is not set: run the E2E tests with \`npx playwright test\`.`)
  return value
}
