import type { Bundle } from '@medplum/fhirtypes'
import { BackLink, SummaryList, SummaryListKey, SummaryListRow, SummaryListValue, WarningCallout, WarningCalloutHeading } from 'nhsuk-react-components'
import { referralView } from '@/lib/bars/referral-view'
import { ageInYears } from '@/lib/time/age'
import { formatLondon } from '@/lib/time/london'
import { nhsNumberLabel, patientName } from './patient-label'

interface TReferralRecord {
  caseReference: string
  state: string
  fhirStatus: string
  useCase: string
  patientNhsNumber: string | null
  patientFamily: string | null
  patientGiven: string | null
  patientBirthDate: string | null
  patientPostcode: string | null
  chiefConcern: string | null
  dispositionCode: string | null
  dispositionDisplay: string | null
  deadline: Date | null
  receivedAt: Date
  senderName: string | null
  service: { name: string }
  versions: { version: number; summary: string; createdAt: Date }[]
  bookings: { id: string; status: string; start: Date; end: Date }[]
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <SummaryListRow>
      <SummaryListKey>{label}</SummaryListKey>
      <SummaryListValue>{children}</SummaryListValue>
    </SummaryListRow>
  )
}

export function ReferralDetail({ referral: r, bundle, now }: { referral: TReferralRecord; bundle: Bundle | null; now: Date }) {
  const view = bundle ? referralView(bundle) : { flags: [], outcome: [], callback: undefined, consultationSummary: undefined, patientInstruction: undefined }
  const age = ageInYears(r.patientBirthDate, now)
  const booking = r.bookings.find((b) => b.status === 'booked')
  return (
    <>
      <BackLink href="/inbox">Back to inbox</BackLink>
      {view.flags.filter((f) => f.safeguarding).map((f, i) => (
        <WarningCallout key={`sg-${i}`} data-testid="safeguarding-flag">
          <WarningCalloutHeading>Safeguarding concern</WarningCalloutHeading>
          <p>{f.text}</p>
        </WarningCallout>
      ))}
      <h1>
        {patientName(r)}
        <span className="nhsuk-caption-l">
          NHS number {nhsNumberLabel(r.patientNhsNumber)} · {age === undefined ? 'age not provided' : `${age} years`} · {r.caseReference}
        </span>
      </h1>
      {view.flags.some((f) => !f.safeguarding) ? (
        <>
          <h2 className="nhsuk-heading-m">Other flags</h2>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {view.flags.filter((f) => !f.safeguarding).map((f, i) => (
              <li key={`f-${i}`}>
                <strong>{f.category}:</strong> {f.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="nhsuk-heading-m">Referral</h2>
      <SummaryList>
        <Row label="Chief concern">{r.chiefConcern ?? 'Not provided'}</Row>
        <Row label="Disposition">{r.dispositionDisplay ? `${r.dispositionDisplay}${r.dispositionCode ? ` (${r.dispositionCode})` : ''}` : 'Not provided'}</Row>
        <Row label="Deadline">{r.deadline ? formatLondon(r.deadline) : 'None given'}</Row>
        <Row label="Callback">
          {view.callback?.phone ? `${view.callback.phone}${view.callback.name ? ` (${view.callback.name}${view.callback.relationship ? `, ${view.callback.relationship}` : ''})` : ''}` : 'Not provided'}
        </Row>
        <Row label="Booked arrival">{booking ? `${formatLondon(booking.start)} to ${formatLondon(booking.end, { timeStyle: 'short' })}` : 'No booking'}</Row>
        <Row label="Received">{formatLondon(r.receivedAt)}</Row>
        <Row label="From">{r.senderName ?? 'Not provided'}</Row>
        <Row label="Service">{r.service.name}</Row>
        <Row label="Postcode">{r.patientPostcode ?? 'Not provided'}</Row>
      </SummaryList>
      {view.consultationSummary ? (
        <>
          <h2 className="nhsuk-heading-m">Consultation summary</h2>
          <p className="nhsuk-body whitespace-pre-line">{view.consultationSummary}</p>
        </>
      ) : null}
      <h2 className="nhsuk-heading-m">History</h2>
      <ul className="nhsuk-list">
        {r.versions.map((v) => (
          <li key={v.version}>
            Version {v.version}: {v.summary}, {formatLondon(v.createdAt)}
          </li>
        ))}
      </ul>
    </>
  )
}
