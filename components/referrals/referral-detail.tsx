import { BackLink } from 'nhsuk-react-components'
import type { TReferralView } from '@/lib/bars/referral-view'
import { formatNhsNumber } from '@/lib/bars/identifiers'
import type { TVersionView } from '@/lib/referrals/view-referral'
import { ageInYears } from '@/lib/time/age'
import { formatDate, formatDateTime, formatTime } from '@/lib/time/format'
import { formatPhone, telHref } from './phone'
import { nhsNumberLabel, patientName } from './patient-label'

const NP = 'Not provided'

export interface TReferralRecord {
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
  senderOdsCode: string | null
  cancelReason: string | null
  service: { name: string }
}

function Rows({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="nhsuk-summary-list">
      {rows.map(([k, v]) => (
        <div className="nhsuk-summary-list__row" key={k}>
          <dt className="nhsuk-summary-list__key">{k}</dt>
          <dd className="nhsuk-summary-list__value">{v ?? NP}</dd>
        </div>
      ))}
    </dl>
  )
}

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="nhsuk-u-margin-bottom-6">
      <h2 className="nhsuk-heading-m" id={id}>
        {title}
      </h2>
      {children}
    </section>
  )
}

function Empty({ children = NP }: { children?: string }) {
  return <p className="nhsuk-body">{children}</p>
}

const dateOnly = (d: string) => (Number.isNaN(Date.parse(d.length === 10 ? `${d}T12:00:00Z` : d)) ? d : formatDate(d))
const when = (d: string | Date | undefined | null) => (d && !Number.isNaN(new Date(d).getTime()) ? formatDateTime(d) : undefined)
const Phone = ({ value }: { value: string }) => (
  <a className="nhsuk-link" href={telHref(value)}>
    {formatPhone(value)}
  </a>
)

/** The patient banner: who this is, at a glance. */
export function PatientBanner({ referral: r, view, now }: { referral: TReferralRecord; view: TReferralView | null; now: Date }) {
  const p = view?.patient ?? {}
  const birth = p.birthDate ?? r.patientBirthDate ?? undefined
  const age = ageInYears(birth, now)
  const nhs = p.nhsNumber ?? r.patientNhsNumber
  return (
    <section className="nhsuk-u-margin-bottom-3" aria-label="Patient details" data-testid="patient-banner">
      <div>
        <h1 className="nhsuk-heading-l nhsuk-u-margin-bottom-2">{patientName(r)}</h1>
        <dl className="flex flex-wrap gap-x-8 gap-y-1 nhsuk-body nhsuk-u-margin-bottom-0">
          <div>
            <dt className="inline font-bold">NHS number: </dt>
            <dd className="inline" data-testid="banner-nhs-number">{formatNhsNumber(nhs) ?? NP}</dd>
          </div>
          <div>
            <dt className="inline font-bold">Born: </dt>
            <dd className="inline">{birth ? `${dateOnly(birth)}${age === undefined ? '' : ` (${age} years old)`}` : NP}</dd>
          </div>
          <div>
            <dt className="inline font-bold">Gender: </dt>
            <dd className="inline">{p.gender ? p.gender[0]!.toUpperCase() + p.gender.slice(1) : NP}</dd>
          </div>
          <div>
            <dt className="inline font-bold">Address: </dt>
            <dd className="inline">{p.address ?? r.patientPostcode ?? NP}</dd>
          </div>
          <div>
            <dt className="inline font-bold">GP practice: </dt>
            <dd className="inline">{p.gp ?? NP}</dd>
          </div>
          <div>
            <dt className="inline font-bold">Case: </dt>
            <dd className="inline">{r.caseReference}</dd>
          </div>
        </dl>
      </div>
    </section>
  )
}

/** Everything the sender told us, rendered from the stored FHIR. */
export function ReferralDetail({
  referral: r,
  view,
  versions,
  sender,
  bookings,
}: {
  referral: TReferralRecord
  view: TReferralView | null
  versions: TVersionView[]
  sender: { kind?: string; system?: string }
  bookings: { status: string; start: Date; end: Date }[]
}) {
  const v = view
  const pc = v?.presentingComplaint ?? {}
  const cb = v?.callback
  return (
    <>
      <Section title="Call back" id="callback">
        <Rows
          rows={[
            ['Phone', cb?.phones.length ? <>{cb.phones.map((p, i) => <span key={i} className="block"><Phone value={p.value} />{p.use ? ` (${p.use})` : ''}</span>)}</> : NP],
            ['Who', cb ? [cb.name, cb.relationship].filter(Boolean).join(', ') || NP : NP],
            ['Other ways to contact', cb?.other.length ? cb.other.join(', ') : NP],
          ]}
        />
      </Section>

      <Section title="Presenting complaint" id="complaint">
        <Rows
          rows={[
            ['Chief concern', pc.chiefConcern ?? r.chiefConcern ?? NP],
            ['Pathway', pc.pathway ?? NP],
            ['Symptom discriminator', pc.symptomDiscriminator ?? NP],
            ['Disposition', (pc.disposition ?? r.dispositionDisplay) ? `${pc.disposition ?? r.dispositionDisplay}${(pc.dispositionCode ?? r.dispositionCode) ? ` (${pc.dispositionCode ?? r.dispositionCode})` : ''}` : NP],
            ['See the patient by', r.deadline ? formatDateTime(r.deadline) : 'No deadline given'],
            ['Advice given to the patient', v?.patientInstruction ?? NP],
          ]}
        />
      </Section>

      <Section title="Triage outcome" id="outcome">
        {v?.outcome.length ? (
          <ul className="nhsuk-list">
            {v.outcome.map((o, i) => (
              <li key={i}>
                <strong>{o.label}:</strong> {o.text}
                {o.code ? ` (code ${o.code})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No Pathways outcome codes provided</Empty>
        )}
        <h3 className="nhsuk-heading-s">Consultation summary</h3>
        {v?.consultationSummary ? <p className="nhsuk-body whitespace-pre-line">{v.consultationSummary}</p> : <Empty />}
      </Section>

      <Section title="Observations" id="observations">
        {v?.observations.length ? (
          <ul className="nhsuk-list nhsuk-list--bullet">
            {v.observations.map((o, i) => (
              <li key={i}>
                <strong>{o.name}</strong>
                {o.value ? `: ${o.value}` : ''}
                {o.notes.map((n, j) => (
                  <span key={j} className="block">
                    {n}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>None provided</Empty>
        )}
      </Section>

      <Section title="Medications" id="medications">
        {v?.medications.length ? (
          <ul className="nhsuk-list nhsuk-list--bullet">
            {v.medications.map((m, i) => (
              <li key={i}>
                <strong>{m.name}</strong>
                {m.dosage ? `, ${m.dosage}` : ''}
                {m.reason ? ` (for ${m.reason})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>None provided</Empty>
        )}
      </Section>

      <Section title="Allergies" id="allergies">
        {v?.allergies.length ? (
          <ul className="nhsuk-list nhsuk-list--bullet">
            {v.allergies.map((a, i) => (
              <li key={i}>
                <strong>{a.substance}</strong>
                {a.reactions ? `: ${a.reactions}` : ''}
                {a.severity ? ` (${a.severity})` : ''}
                {a.status ? `, ${a.status.toLowerCase()}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>None provided</Empty>
        )}
      </Section>

      <Section title="Consent" id="consent">
        {v?.consent.length ? (
          <ul className="nhsuk-list">
            {v.consent.map((c, i) => (
              <li key={i}>
                {c.category}
                {c.status ? ` (${c.status})` : ''}
                {c.policy ? `, ${c.policy.toLowerCase()}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty />
        )}
      </Section>

      <Section title="Services the patient was offered and rejected" id="rejected-services">
        {v?.rejectedServices.length ? (
          <ul className="nhsuk-list nhsuk-list--bullet">
            {v.rejectedServices.map((s, i) => (
              <li key={i}>
                <strong>{s.service}</strong>
                {s.reason ? `: ${s.reason}` : ''}
                {s.comment ? ` (${s.comment})` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>None provided</Empty>
        )}
      </Section>

      {v?.otherInformation.map((g, i) => (
        <Section key={i} title={g.title} id={`info-${i}`}>
          <Rows rows={g.items.map((it) => [it.label, it.value] as [string, React.ReactNode])} />
        </Section>
      ))}

      <Section title="Next of kin and other contacts" id="contacts">
        {[...(v?.nextOfKin ?? []), ...(v?.otherContacts ?? [])].length ? (
          <ul className="nhsuk-list">
            {[...(v?.nextOfKin ?? []), ...(v?.otherContacts ?? [])].map((c, i) => (
              <li key={i}>
                <strong>{c.name ?? 'Name not provided'}</strong>
                {c.relationship ? ` (${c.relationship})` : ''}: {c.phone ? <Phone value={c.phone} /> : 'no phone number'}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>None provided</Empty>
        )}
      </Section>

      <Section title="Booking" id="booking">
        {bookings.length ? (
          <ul className="nhsuk-list">
            {bookings.map((b, i) => (
              <li key={i}>
                {formatDateTime(b.start)} to {formatTime(b.end)}: {b.status === 'booked' ? 'booked' : b.status === 'noshow' ? 'did not attend' : b.status}
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No booking linked</Empty>
        )}
      </Section>

      <Section title="Referral" id="referral">
        <Rows
          rows={[
            ['From', [sender.kind, r.senderName ?? v?.referral.senderOrganisation, sender.system ? `via ${sender.system}` : undefined].filter(Boolean).join(' · ') || NP],
            ['Use case', v?.referral.useCase ?? r.useCase],
            ['Referred by', v?.referral.requester ?? NP],
            ['Decision support', v?.referral.cdss ?? NP],
            ['Service requested', v?.referral.requestedService ?? r.service.name],
            ['Referred at', when(v?.referral.authoredOn) ?? NP],
            ['Received', formatDateTime(r.receivedAt)],
            ['Status from the sender', r.fhirStatus === 'active' ? 'Active' : `${r.fhirStatus}${r.cancelReason ? `: ${r.cancelReason}` : ''}`],
            ['NHS number', nhsNumberLabel(r.patientNhsNumber)],
          ]}
        />
      </Section>

      <Section title="Versions received" id="versions">
        <ol className="nhsuk-list" reversed>
          {versions.map((ver) => (
            <li key={ver.version} className="nhsuk-u-margin-bottom-2">
              <strong>Version {ver.version}</strong>, {formatDateTime(ver.receivedAt)}: {ver.summary}
              {ver.changes.length ? (
                <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0">
                  {ver.changes.map((c, i) => (
                    <li key={i}>{c}</li>
                  ))}
                </ul>
              ) : ver.version > 1 ? (
                <span> (no visible changes)</span>
              ) : null}
            </li>
          ))}
        </ol>
      </Section>
    </>
  )
}

export function BackToInbox() {
  return <BackLink href="/inbox">Back to inbox</BackLink>
}
