/**
 * A plain copy of JSON data: reactive proxies cannot cross the Electron bridge (structured clone
 * refuses them), and neither the host nor the form may share objects with the other.
 */
export function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}
