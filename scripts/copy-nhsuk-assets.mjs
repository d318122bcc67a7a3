// nhsuk-frontend CSS references url(/assets/images/*.svg) (absolute), so its assets are served from public/assets.
import fs from 'node:fs'

const src = 'node_modules/nhsuk-frontend/dist/nhsuk/assets'
if (fs.existsSync(src)) fs.cpSync(src, 'public/assets', { recursive: true })
