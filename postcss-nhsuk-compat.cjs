// Turbopack minifies CSS with lightningcss, which rejects three constructs in nhsuk-frontend 10 CSS:
// IE-only `@media screen\0` hacks, name-only `@container name {}` rules, and an `@charset` that ends
// up inside `@layer nhsuk` once Tailwind inlines the import. None matters in a supported browser,
// so they are removed. Runs after @tailwindcss/postcss (which inlines the @import), hence OnceExit.
const IE_HACK = /screen\s*(\\0|\u0000|\uFFFD)/
module.exports = () => ({
  postcssPlugin: 'nhsuk-lightningcss-compat',
  OnceExit(root) {
    root.walkAtRules((rule) => {
      if (rule.name === 'media' && IE_HACK.test(rule.params)) rule.remove()
      else if (rule.name === 'container' && !rule.params.includes('(')) rule.remove()
      else if (rule.name === 'charset' && rule.parent?.type !== 'root') rule.remove()
    })
  },
})
module.exports.postcss = true
