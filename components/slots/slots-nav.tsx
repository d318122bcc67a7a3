import Link from 'next/link'

const SECTIONS = [
  { key: 'board', label: 'Arrival windows', href: '/slots' },
  { key: 'templates', label: 'Templates', href: '/slots/templates' },
  { key: 'overrides', label: 'Capacity changes', href: '/slots/overrides' },
] as const

/** The sections of the slots screens, for one service. */
export function SlotsNav({ current, serviceId }: { current?: (typeof SECTIONS)[number]['key']; serviceId: string }) {
  return (
    <nav aria-label="Slots and bookings" className="nhsuk-u-margin-bottom-5">
      <ul className="nhsuk-list flex flex-wrap gap-x-6 gap-y-2">
        {SECTIONS.map((s) => (
          <li key={s.key} className="nhsuk-u-margin-bottom-0">
            <Link href={`${s.href}?service=${serviceId}`} className="nhsuk-link" aria-current={current === s.key ? 'page' : undefined}>
              {current === s.key ? <strong>{s.label}</strong> : s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** Choose the service (a plain GET form: works without JavaScript). */
export function ServicePicker({ services, serviceId, action }: { services: { id: string; name: string }[]; serviceId: string; action: string }) {
  if (services.length < 2) return null
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-4 nhsuk-u-margin-bottom-4">
      <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
        <label className="nhsuk-label" htmlFor="service">
          Service
        </label>
        <select className="nhsuk-select" id="service" name="service" defaultValue={serviceId}>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0">
        Show
      </button>
    </form>
  )
}
