import { OUTCOME_LABELS, orgTypeLabel } from '@/lib/bars/pharmacy-referral'
import type { TPharmacyView } from '@/lib/pharmacy/view-pharmacy-referral'
import { formatLondon } from '@/lib/time/london'

function Row({ k, children, testId }: { k: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{k}</dt>
      <dd className="nhsuk-summary-list__value break-words" data-testid={testId}>
        {children}
      </dd>
    </div>
  )
}

const TELECOM: Record<string, string> = { phone: 'Phone', email: 'Email', sms: 'Text', other: 'Other' }

/** What the GP practice sent, in the order a pharmacist needs it (individual requirements first, A5.10). */
export function PharmacyDetail({ view: r }: { view: TPharmacyView }) {
  const d = r.detail
  const adjustments = d.flags.filter((f) => f.reasonableAdjustment)
  const otherFlags = d.flags.filter((f) => !f.reasonableAdjustment)
  return (
    <>
      <h2>Individual requirements</h2>
      {adjustments.length || otherFlags.length ? (
        <div className="nhsuk-warning-callout" data-testid="pharmacy-adjustments">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Reasonable adjustments and flags
            </span>
          </h3>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {adjustments.map((f, i) => (
              <li key={`ra-${i}`}>{f.description}</li>
            ))}
            {otherFlags.map((f, i) => (
              <li key={`f-${i}`}>
                {f.category}: {f.description}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="nhsuk-body">None provided.</p>
      )}

      <h2>Patient</h2>
      <dl className="nhsuk-summary-list">
        <Row k="Name">{r.patientName}</Row>
        <Row k="NHS number">{r.nhsNumber ?? 'Not provided'}</Row>
        <Row k="Date of birth">
          {r.birthDate ?? 'Not provided'}
          {r.age !== null ? ` (${r.age} years)` : ''}
        </Row>
        <Row k="Postcode">{r.postcode ?? 'Not provided'}</Row>
        <Row k="Contact details" testId="pharmacy-contacts">
          {d.contacts.length ? (
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {d.contacts.map((c, i) => (
                <li key={i}>
                  <strong>
                    {c.who}
                    {c.name ? ` (${c.name})` : ''}
                  </strong>
                  {c.telecom.map((t, j) => (
                    <div key={j}>
                      {TELECOM[t.system] ?? t.system}
                      {t.use ? ` (${t.use})` : ''}: {t.value}
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          ) : (
            'Not provided'
          )}
        </Row>
        <Row k="Consent">{d.consent ?? 'Not provided'}</Row>
      </dl>

      <h2>Referred by</h2>
      <dl className="nhsuk-summary-list">
        <Row k="Organisation" testId="pharmacy-referrer">
          {d.referringOrganisation.name ?? 'Name not provided'}
        </Row>
        <Row k="ODS code">{d.referringOrganisation.odsCode ?? 'Not provided'}</Row>
        <Row k="Type">{orgTypeLabel(d.referringOrganisation)}</Row>
        <Row k="Referrer">{d.referrerName ?? 'Not provided'}</Row>
        <Row k="Patient's registered GP">
          {d.registeredGp ? `${d.registeredGp.name ?? 'Name not provided'} (ODS ${d.registeredGp.odsCode ?? 'not provided'})` : 'Not provided'}
        </Row>
        <Row k="Received">{formatLondon(r.receivedAt)}</Row>
      </dl>

      <h2>Reason for referral</h2>
      <dl className="nhsuk-summary-list">
        <Row k="Condition">{d.condition ?? 'Not provided'}</Row>
        <Row k="Service requested">{d.serviceRequested ?? 'Not provided'}</Row>
        <Row k="Instruction">{d.instruction ?? 'Not provided'}</Row>
        <Row k="Clinical pathway and assessment">{d.pathway ? <span className="whitespace-pre-line">{d.pathway}</span> : 'Not provided'}</Row>
        <Row k="Medicines (new)">{d.medications.length ? d.medications.join(', ') : 'Not provided'}</Row>
        <Row k="Allergies (new)">{d.allergies.length ? d.allergies.join(', ') : 'Not provided'}</Row>
      </dl>
    </>
  )
}

/**
 * The outcome and where it goes. App 5 defines no BaRS response (apps-3-4-5.md A5.17): the outcome
 * reaches the GP through GP Connect Update Record, a separate integration this system lacks.
 */
export function PharmacyOutcomeSummary({ view: r }: { view: TPharmacyView }) {
  return (
    <>
      {r.outcome ? (
        <dl className="nhsuk-summary-list" data-testid="pharmacy-outcome">
          <Row k="Outcome">{OUTCOME_LABELS[r.outcome]}</Row>
          <Row k="Notes">{r.outcomeNote ? <span className="whitespace-pre-line">{r.outcomeNote}</span> : 'None'}</Row>
          <Row k="Recorded">
            {r.outcomeAt ? formatLondon(r.outcomeAt) : 'Not provided'}
            {r.outcomeBy ? ` by ${r.outcomeBy}` : ''}
          </Row>
          <Row k="Closed">{r.closedAt ? `${formatLondon(r.closedAt)}${r.closedBy ? ` by ${r.closedBy}` : ''}` : 'Not yet'}</Row>
          <Row k="Sent to the GP">
            <strong className="nhsuk-tag nhsuk-tag--grey">To be sent to the GP by GP Connect Update Record — not connected</strong>
          </Row>
        </dl>
      ) : (
        <p className="nhsuk-body">Not recorded yet.</p>
      )}
      <div className="nhsuk-inset-text">
        <p>
          Nothing is sent back to the GP practice through BaRS: BaRS Application 5 defines no response message (research note A5.17). The outcome reaches the
          patient&apos;s GP through GP Connect Update Record, a separate NHS service this system is not connected to. Until it is, use the printable summary.
        </p>
      </div>
    </>
  )
}
