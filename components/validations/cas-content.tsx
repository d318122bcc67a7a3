import { formatLondon } from '@/lib/time/london'
import type { TCasContent } from '@/lib/bars/cas-referral'

function Row({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{k}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  )
}

/**
 * The 999 content of an App 3 referral or App 4 validation request, as a CAS clinician needs it:
 * call details and timings, the triage outcome (Pathways or AMPDS, ARP), every incident-location
 * field, scene safety ("Unknown" when it was not sent, never safe) and every flag (A3.11–A3.16, A4.13).
 */
export function CasContentDetails({ content, rows }: { content: TCasContent; rows: [string, string][] }) {
  return (
    <>
      <h2 className="nhsuk-heading-m">Call details</h2>
      <dl className="nhsuk-summary-list">
        {rows.map(([k, v]) => (
          <Row key={k} k={k}>
            {v}
          </Row>
        ))}
        <Row k="Call connect">{content.callConnect ? formatLondon(content.callConnect) : 'Not provided'}</Row>
        <Row k="Scene safety">{content.sceneSafety.sent ? content.sceneSafety.display : 'Unknown (not sent)'}</Row>
        <Row k="999 case reference">{content.senderCaseId ?? 'Not provided'}</Row>
        <Row k="Triage software">{[content.cdss.software, content.cdss.version].filter(Boolean).join(' ') || 'Not provided'}</Row>
      </dl>

      <h2 className="nhsuk-heading-m">Triage outcome</h2>
      {content.codes.length ? (
        <ul className="nhsuk-list nhsuk-list--bullet">
          {content.codes.map((c, i) => (
            <li key={`${c.code}-${i}`}>
              {c.kind === 'other' ? '' : `${c.kind.toUpperCase()} `}
              {c.code}
              {c.display ? `: ${c.display}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="nhsuk-body">Not provided</p>
      )}
      {content.narrative.map((t, i) => (
        <p className="nhsuk-body whitespace-pre-wrap" key={i}>
          {t}
        </p>
      ))}

      <h2 className="nhsuk-heading-m">Incident location</h2>
      {content.incidentLocation?.fields.length ? (
        <dl className="nhsuk-summary-list" data-testid="incident-location">
          {content.incidentLocation.fields.map((f) => (
            <Row key={f.label} k={f.label}>
              {f.value}
            </Row>
          ))}
        </dl>
      ) : (
        <p className="nhsuk-body">
          <strong>No incident location was sent.</strong>
        </p>
      )}

      <h2 className="nhsuk-heading-m">Flags</h2>
      {content.flags.length ? (
        <ul className="nhsuk-list nhsuk-list--bullet">
          {content.flags.map((f, i) => (
            <li key={i}>
              <strong>{f.category}:</strong> {f.code}
            </li>
          ))}
        </ul>
      ) : (
        <p className="nhsuk-body">No flags sent. Scene safety: Unknown (not sent)</p>
      )}
    </>
  )
}
