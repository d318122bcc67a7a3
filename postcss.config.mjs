import path from 'node:path'

const config = {
  plugins: {
    '@tailwindcss/postcss': {},
    // Turbopack resolves local PostCSS plugins only by absolute path.
    [path.join(process.cwd(), 'postcss-nhsuk-compat.cjs')]: {},
  },
}

export default config
