/**
 * Structural stand-ins for the few Electron types the IPC adapter touches. main/host runs under
 * plain Node (DESIGN.md §1), so it never imports `electron`; main/app passes the real objects,
 * which satisfy these shapes.
 */

/** The frame that sent an invoke (Electron's WebFrameMain). */
export interface SenderFrameLike {
  readonly url: string
  /** null for a top-level frame; sub-frames are never trusted. */
  readonly parent: unknown
}

/** The part of `IpcMainInvokeEvent` the adapter reads. */
export interface InvokeEventLike {
  /** Electron gives null when the frame navigated away or was destroyed before the call landed. */
  readonly senderFrame: SenderFrameLike | null
}

/** The part of Electron's `ipcMain` the adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/** The part of `WebContents` events are pushed through. */
export interface EventTargetLike {
  send(channel: string, payload: unknown): void
  isDestroyed(): boolean
}

export type SenderCheck = (senderFrame: SenderFrameLike | null) => boolean
