/**
 * Engine version, stored with every run. Bump the minor when results of the same experiment and
 * seed change, the major when the experiment format's meaning changes.
 */
export const ENGINE_VERSION = '0.4.0'
