import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { SkipLink } from 'nhsuk-react-components'
import { FocusOnNavigate } from '@/components/layout/focus-on-navigate'
import { QueryProvider } from '@/components/layout/query-provider'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'BaRS Inbox', template: '%s – BaRS Inbox' },
  description: 'Referrals and bookings received through the NHS Booking and Referral Standard',
  // public/: NHS.UK favicon and app icons (nhsuk-frontend's), so no page asks for a missing /favicon.ico.
  icons: { icon: [{ url: '/favicon.ico', sizes: '48x48' }, { url: '/favicon.svg', type: 'image/svg+xml' }], apple: '/apple-touch-icon.png' },
  manifest: '/site.webmanifest',
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request makes every page render per request, so Next can put proxy.ts's CSP nonce
  // on its scripts (a statically built page would carry none and be blocked).
  await headers()
  return (
    <html lang="en-GB">
      {/* nhsuk-frontend-supported is required: nhsuk client components refuse to start without it. */}
      <body className="js-enabled nhsuk-frontend-supported">
        <SkipLink href="#maincontent" />
        <FocusOnNavigate />
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  )
}
