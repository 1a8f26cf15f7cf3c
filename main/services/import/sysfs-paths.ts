/**
 * Which files of a sysfs snapshot an import reads, wherever the snapshot starts: a whole /sys or a
 * capture bundle (`…/devices/system/node/…`), or a copy of the node folder alone (`cp -r
 * /sys/devices/system/node snap`, `tar czf node.tgz -C /sys/devices/system node`), whose paths
 * begin at `nodeN/`. Each is keyed from `devices/` on, as a whole /sys would be.
 */
const UNDER_DEVICES =
  /devices\/(system\/node\/(online|possible|has_\w+|node\d+\/(cpulist|meminfo|distance|access\d\/initiators\/\w+))|virtual\/memory_tiering\/memory_tier\d+\/nodelist)$/
const NODE_FILE =
  /(?:^|\/)(node\d+\/(?:cpulist|meminfo|distance|access\d\/initiators\/(?:read|write)_(?:latency|bandwidth)))$/
const NODE_LIST = /(?:^|\/)(online|possible|has_cpu|has_memory|has_normal_memory)$/

const NODE_ROOT = 'devices/system/node/'

/** The `devices/…` key of a sysfs file an import reads, or null for any other file. */
export function sysfsKey(path: string): string | null {
  const at = path.indexOf('devices/')
  if (at >= 0) return UNDER_DEVICES.test(path) ? path.slice(at) : null
  const m = NODE_FILE.exec(path) ?? NODE_LIST.exec(path)
  return m ? NODE_ROOT + m[1] : null
}

/**
 * The folder a snapshot's sysfs tree starts in (`capture-x/sys/`, or `` for a copy of /sys or of the
 * node folder): files inside it are sysfs, never tool outputs, so a whole /sys is not read as
 * hundreds of unknown files. Null when the path is not a sysfs file.
 */
export function sysfsRoot(path: string): string | null {
  const at = path.indexOf('devices/')
  if (at >= 0) return UNDER_DEVICES.test(path) ? path.slice(0, at) : null
  const m = NODE_FILE.exec(path) ?? NODE_LIST.exec(path)
  return m ? path.slice(0, path.length - m[1].length) : null
}

/** Folders a snapshot walk descends into towards those files (sysfs has cycles through links). */
export function leadsToSysfs(rel: string): boolean {
  return (
    rel.includes('devices') ||
    /^[^/]*$/.test(rel) ||
    /(?:^|\/)(?:sys|node)$/.test(rel) ||
    /(?:^|\/)node\d+(?:\/access\d(?:\/initiators)?)?$/.test(rel)
  )
}

/**
 * sysfs text as the kernel means it: `tar` of /sys pads each file with NUL bytes to the 4096 bytes
 * sysfs reports as its size ("File shrank by N bytes; padding with zeros"), so NULs are dropped.
 */
export function sysfsText(text: string): string {
  return text.replace(/\0/g, '')
}
