import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { createClient } from './api/client'
import { provideClient } from './api/provide'
import { createAppRouter } from './router'
import './styles/theme.css'

// The client first: it takes the web host's token out of the address before the router reads it.
const client = createClient()
const app = createApp(App)
provideClient(app, client)
app.use(createPinia())
app.use(createAppRouter())
app.mount('#app')
