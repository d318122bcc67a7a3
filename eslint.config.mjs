import next from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

const config = [
  ...next,
  ...nextTs,
  { ignores: ['.next/**', '.next-bench/**', 'generated/**', 'public/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**'] },
  {
    // Only repositories (and lib/db) talk to Prisma, under lib/ too: use cases open their one
    // transaction with inTransaction() from '@/lib/db/transaction' and pass `tx` down.
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    ignores: ['lib/**/*-repository.ts', 'lib/db/**', 'lib/testing/**', 'lib/**/*.test.ts', 'lib/bars/**', 'lib/fhir/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/generated/*', '@/generated/**'], message: 'Only *-repository.ts files and lib/db import the Prisma client.' },
            { group: ['@/lib/db/prisma'], message: "Use inTransaction / Tx from '@/lib/db/transaction'; only *-repository.ts files and lib/db import the Prisma client." },
          ],
        },
      ],
    },
  },
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
