import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createClient } from './api/client'
import { provideClient } from './api/provide'
import { rememberLastView } from './lib/lastView'
import { createAppRouter } from './router'
import { useToastsStore } from './stores/toasts'
import './styles/theme.css'

// The hash the page was opened with, before the router fills in its default route.
const openedHash = window.location.hash
// The client first: it takes the web host's token out of the address before the router reads it.
const client = createClient()
const app = createApp(App)
provideClient(app, client)
const pinia = createPinia()
app.use(pinia)
const router = createAppRouter()

// Errors no page handled are shown with their text, not only logged.
const toasts = useToastsStore(pinia)
app.config.errorHandler = (error) => {
  console.error(error)
  toasts.push(error)
}
window.addEventListener('unhandledrejection', (event) => toasts.push(event.reason))

void rememberLastView(router, storageOrNull(), openedHash).finally(() => {
  app.use(router)
  app.mount('#app')
})

/** localStorage, or null where the page may not use it (some file:// or private contexts). */
function storageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
