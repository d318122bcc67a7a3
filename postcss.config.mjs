import path from 'node:path'

export default {
  plugins: {
    '@tailwindcss/postcss': {},
    // Turbopack resolves local PostCSS plugins only by absolute path.
    [path.join(process.cwd(), 'postcss-nhsuk-compat.cjs')]: {},
  },
}
