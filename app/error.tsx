'use client'

import { Footer, FooterCopyright, FooterMeta, Header } from 'nhsuk-react-components'
import { useEffect } from 'react'

/**
 * Any unexpected failure while rendering a page: the NHS.UK "there is a problem with the service"
 * pattern, branded, with a real title. No detail of the error is shown (it may hold patient data);
 * the server log has it, under the digest.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    document.title = 'Error: Sorry, there is a problem with the service – BaRS Inbox'
  }, [])
  return (
    <>
      <Header service={{ text: 'BaRS Inbox', href: '/' }} />
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
          <h1>Sorry, there is a problem with the service</h1>
          <p className="nhsuk-body">Try again now. If it happens again, try later or tell your IT service desk.</p>
          {error.digest ? <p className="nhsuk-body-s">Reference for the service desk: {error.digest}</p> : null}
          <button type="button" className="nhsuk-button" onClick={() => reset()}>
            Try again
          </button>
        </main>
      </div>
      <Footer>
        <FooterMeta>
          <FooterCopyright>BaRS Inbox</FooterCopyright>
        </FooterMeta>
      </Footer>
    </>
  )
}
