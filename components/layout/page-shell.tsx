import { Footer, FooterCopyright, FooterMeta } from 'nhsuk-react-components'
import { StaffHeader, type TStaffHeaderProps } from './staff-header'
import { StuckResponsesNotice } from './stuck-responses-notice'

/** Header, main landmark (skip-link target) and footer around every screen. */
export function PageShell({ children, ...header }: TStaffHeaderProps & { children: React.ReactNode }) {
  return (
    <>
      <StaffHeader {...header} />
      {header.user ? <StuckResponsesNotice roles={header.user.roles} /> : null}
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
          {children}
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
