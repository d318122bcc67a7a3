// Turbopack minifies CSS with lightningcss, which rejects three constructs in nhsuk-frontend 10 CSS:
// IE-only `@media screen\0` hacks, name-only `@container name {}` rules, and an `@charset` that ends
// up inside `@layer nhsuk` once Tailwind inlines the import. None matters in a supported browser,
// so they are removed. Runs after @tailwindcss/postcss (which inlines the @import), hence OnceExit.
// Also removed: the @font-face rules that load Frutiger from https://assets.nhs.uk. The app makes no
// network calls at run time (README), so in an offline deployment every page logged failed font
// loads as console errors (issue 11); nhsuk's font stack falls back to Arial, as it does anyway
// where assets.nhs.uk is unreachable.
const REMOTE_FONT = /url\(\s*["']?https?:\/\//
const IE_HACK = /screen\s*(\\0|\u0000|\uFFFD)/
module.exports = () => ({
  postcssPlugin: 'nhsuk-lightningcss-compat',
  OnceExit(root) {
    root.walkAtRules((rule) => {
      if (rule.name === 'font-face' && rule.nodes?.some((d) => d.prop === 'src' && REMOTE_FONT.test(d.value))) rule.remove()
      else if (rule.name === 'media' && IE_HACK.test(rule.params)) rule.remove()
      else if (rule.name === 'container' && !rule.params.includes('(')) rule.remove()
      else if (rule.name === 'charset' && rule.parent?.type !== 'root') rule.remove()
    })
  },
})
module.exports.postcss = true
