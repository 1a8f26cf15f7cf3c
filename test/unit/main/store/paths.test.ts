import { describe, expect, it } from 'vitest'
import { defaultDatabasePath } from '../../../../main/store'

describe('defaultDatabasePath', () => {
  it('uses TIERLAB_DB when set, on every platform', () => {
    expect(defaultDatabasePath({ TIERLAB_DB: '/data/lab.db' }, 'linux', '/home/ada')).toBe(
      '/data/lab.db',
    )
    expect(defaultDatabasePath({ TIERLAB_DB: 'D:\\lab.db' }, 'win32', 'C:\\Users\\ada')).toBe(
      'D:\\lab.db',
    )
  })

  it('ignores an empty TIERLAB_DB', () => {
    expect(defaultDatabasePath({ TIERLAB_DB: ' ' }, 'linux', '/home/ada')).toBe(
      '/home/ada/.config/Tierlab/tierlab.db',
    )
  })

  it('follows Electron userData on Linux: XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultDatabasePath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe(
      '/xdg/Tierlab/tierlab.db',
    )
    expect(defaultDatabasePath({}, 'linux', '/home/ada')).toBe(
      '/home/ada/.config/Tierlab/tierlab.db',
    )
  })

  it('uses Application Support on macOS', () => {
    expect(defaultDatabasePath({}, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/Tierlab/tierlab.db',
    )
  })

  it('uses %APPDATA% on Windows, with backslashes', () => {
    expect(
      defaultDatabasePath(
        { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        'win32',
        'C:\\Users\\ada',
      ),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Tierlab\\tierlab.db')
    expect(defaultDatabasePath({}, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Tierlab\\tierlab.db',
    )
  })
})
