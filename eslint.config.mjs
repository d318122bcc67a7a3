import next from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

const config = [
  ...next,
  ...nextTs,
  { ignores: ['.next/**', 'generated/**', 'public/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**'] },
  {
    // Pure BaRS/FHIR code knows nothing of HTTP, Next, React or the database.
    files: ['lib/bars/**', 'lib/fhir/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['next', 'next/*', 'react', '@/generated/*', '@/lib/db/*', '@/lib/http/*', 'pg'] }],
    },
  },
  {
    // Only repositories (and the db module) talk to Prisma.
    files: ['app/**', 'components/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@/generated/*', '@/lib/db/*'] }],
    },
  },
  {
    // Tests poke at arbitrary FHIR JSON; typing every probe would hide the assertion.
    files: ['**/*.test.ts', '**/*.test.tsx', 'lib/testing/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
]

export default config
