import { defineConfig, devices } from '@playwright/test'

const PORT = Number(process.env.E2E_PORT ?? 3100)
const baseURL = `http://127.0.0.1:${PORT}`
const databaseUrl = process.env.E2E_DATABASE_URL ?? ''

// The e2e tests write to their database: refuse anything that is not on this machine.
if (databaseUrl && !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(databaseUrl)) {
  throw new Error('E2E_DATABASE_URL must point at a local database (127.0.0.1 or localhost).')
}

export default defineConfig({
  testDir: './e2e',
  // Every screen is checked with axe twice (as is and at 320 px) by expectNoAxeViolations: allow for it on a loaded machine.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    timezoneId: 'Europe/London',
    locale: 'en-GB',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        // no lookups of Google's hosts from an offline sandbox
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `node scripts/web-server.mjs -p ${PORT} -H 127.0.0.1`,
    url: `${baseURL}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'e2e-only-secret-0123456789abcdef0123456789',
      BARS_PUBLIC_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: '1',
      BARS_LOG: 'silent',
    },
  },
})
