import '@fontsource/noto-naskh-arabic/400.css'
import '@fontsource/noto-naskh-arabic/700.css'
import '@fontsource/noto-sans-arabic/400.css'
import '@fontsource/noto-sans-arabic/600.css'
import '@fontsource/noto-sans-arabic/700.css'
import '@hashiya/editor/styles.css'
import './styles/base.css'
import './styles/layout.css'
import './styles/components.css'
import './styles/editor.css'
import './styles/annotations.css'
import './styles/history.css'
import './styles/transfer.css'
import './styles/accounts.css'

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import { initI18n } from './i18n/index.js'
import { browserStore } from './lib/storage.js'

const store = browserStore()
initI18n(store)

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from index.html')

createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
)
