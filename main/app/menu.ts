import { Menu } from 'electron'
import type { MenuItemConstructorOptions } from 'electron'

/**
 * The usual menus, built from roles so the platform supplies labels, shortcuts and behaviour
 * (copy and paste in text fields need the Edit menu on macOS).
 */
export function appMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]
}

export function installAppMenu(platform: NodeJS.Platform): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform)))
}
