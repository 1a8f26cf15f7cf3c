export { registerIpcHandlers } from './register-handlers'
export { forwardEvents } from './forward-events'
export { createSenderCheck, isTrustedRendererUrl } from './trusted-sender'
export type { TrustedOrigins } from './trusted-sender'
export type {
  EventTargetLike,
  InvokeEventLike,
  IpcMainLike,
  SenderCheck,
  SenderFrameLike,
} from './types'
