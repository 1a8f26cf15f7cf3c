/** sessionStorage key of the web host's per-start token (survives reloads of this tab only). */
export const TOKEN_STORAGE_KEY = 'tierlab.token'

export interface TokenEnv {
  location: Pick<Location, 'href'>
  history: Pick<History, 'replaceState' | 'state'>
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * The web host prints a URL with `?token=…`. Take the token from the address, keep it in
 * sessionStorage so reloads still work, and drop it from the address bar so it is not bookmarked,
 * shared in a screenshot or left in the history. Returns null when there is none.
 */
export function takeToken(env: TokenEnv): string | null {
  const url = new URL(env.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    env.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl)
    url.searchParams.delete('token')
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return env.sessionStorage.getItem(TOKEN_STORAGE_KEY)
}
