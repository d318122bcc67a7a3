'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { Table, TableBody, TableCell, TableHead, TableRow } from 'nhsuk-react-components'
import { slotQueries } from '@/lib/query/slot-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import type { TBoardDay, TBoardWindow, TSlotBoard } from '@/lib/slots/slot-views'
import { LoadError, Loading } from './feedback'
import { WindowStateTag } from './window-state-tag'

/** Any change anywhere (an API booking, another desk) refreshes the board. */
const LIVE_KEYS = [slotQueries.all]

const boardHref = (serviceId: string, date: string, view: 'day' | 'week') => `/slots?service=${serviceId}&date=${date}&view=${view}`

/** Day and week views of a service's arrival windows with booked / arrived / did-not-attend / remaining counts. */
export function SlotBoard({ serviceId, date, view }: { serviceId: string; date: string; view: 'day' | 'week' }) {
  const q = useQuery(slotQueries.board(serviceId, date, view))
  useLiveEvents(undefined, LIVE_KEYS)
  if (q.isPending) return <Loading what="arrival windows" />
  if (q.isError) return <LoadError error={q.error} />
  const board = q.data
  const unit = view === 'week' ? 'week' : 'day'
  return (
    <>
      <nav aria-label="Dates" className="flex flex-wrap items-center gap-x-6 gap-y-2 nhsuk-u-margin-bottom-4">
        <Link className="nhsuk-link" href={boardHref(serviceId, board.previous, view)}>
          Previous {unit}
        </Link>
        <Link className="nhsuk-link" href={boardHref(serviceId, board.today, view)}>
          Today
        </Link>
        <Link className="nhsuk-link" href={boardHref(serviceId, board.next, view)}>
          Next {unit}
        </Link>
        <span aria-hidden="true">|</span>
        <Link className="nhsuk-link" href={boardHref(serviceId, board.date, 'day')} aria-current={view === 'day' ? 'page' : undefined}>
          Day view
        </Link>
        <Link className="nhsuk-link" href={boardHref(serviceId, board.date, 'week')} aria-current={view === 'week' ? 'page' : undefined}>
          Week view
        </Link>
      </nav>
      <form method="get" action="/slots" className="flex flex-wrap items-end gap-4 nhsuk-u-margin-bottom-5">
        <input type="hidden" name="service" value={serviceId} />
        <input type="hidden" name="view" value={view} />
        <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
          <label className="nhsuk-label" htmlFor="board-date">
            Go to date
          </label>
          <input className="nhsuk-input" type="date" id="board-date" name="date" defaultValue={board.date} />
        </div>
        <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0">
          Show
        </button>
      </form>
      {view === 'day' ? <DayTable day={board.days[0]!} /> : <WeekTable board={board} />}
    </>
  )
}

function DayTable({ day }: { day: TBoardDay }) {
  return (
    <>
      <h2 className="nhsuk-heading-m">{day.label}</h2>
      {day.windows.length === 0 ? (
        <p className="nhsuk-body">No arrival windows on this day. Add a template to create them, or check that the day is not closed.</p>
      ) : (
        <Table responsive>
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Arrival windows on {day.label}</caption>
          <TableHead>
            <TableRow>
              <TableCell>Window</TableCell>
              <TableCell>Places</TableCell>
              <TableCell>Booked</TableCell>
              <TableCell>Arrived</TableCell>
              <TableCell>Did not attend</TableCell>
              <TableCell>Remaining</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {day.windows.map((w) => (
              <TableRow key={w.id} data-testid="board-window">
                <TableCell>
                  <Link className="nhsuk-link" href={`/slots/windows/${w.id}`}>
                    {w.label}
                  </Link>
                </TableCell>
                <TableCell>{w.capacity}</TableCell>
                <TableCell>
                  {w.booked}
                  {w.overbooked > 0 ? <span className="nhsuk-body-s"> ({w.overbooked} over capacity)</span> : null}
                </TableCell>
                <TableCell>{w.arrived}</TableCell>
                <TableCell>{w.noshow}</TableCell>
                <TableCell>{w.remaining}</TableCell>
                <TableCell>
                  <WindowStateTag state={w.state} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  )
}

function WeekCell({ windows }: { windows: TBoardWindow[] }) {
  if (windows.length === 0) return <span className="nhsuk-body-s">None</span>
  return (
    <>
      {windows.map((w) => (
        <div key={w.id} className="nhsuk-u-margin-bottom-1">
          <Link className="nhsuk-link" href={`/slots/windows/${w.id}`}>
            {w.state === 'blocked' ? 'Blocked' : `${w.booked} of ${w.capacity} booked`}
            <span className="nhsuk-u-visually-hidden">, {w.label}</span>
          </Link>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {w.remaining} left · {w.arrived} arrived · {w.noshow} did not attend
            {w.overbooked > 0 ? ' · overbooked' : ''}
          </div>
        </div>
      ))}
    </>
  )
}

function WeekTable({ board }: { board: TSlotBoard }) {
  const times = [...new Set(board.days.flatMap((d) => d.windows.map((w) => w.startLabel)))].sort()
  if (times.length === 0) return <p className="nhsuk-body">No arrival windows in this week. Add a template to create them.</p>
  const short = (label: string) => label.replace(/ \d{4}$/, '')
  return (
    // A week does not fit 320 px: it scrolls inside its own labelled, focusable region (issue 11, finding 15).
    <div className="table-scroll" role="region" aria-labelledby="week-caption" tabIndex={0}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption" id="week-caption">
          Week starting {board.days[0]!.label}
          <span className="nhsuk-body-s block nhsuk-u-font-weight-normal narrow-only">Scroll sideways to see every day.</span>
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Window
            </th>
            {board.days.map((d) => (
              <th key={d.date} scope="col" className="nhsuk-table__header">
                <Link className="nhsuk-link" href={`/slots?service=${board.service.id}&date=${d.date}&view=day`}>
                  {short(d.label)}
                </Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {times.map((t) => (
            <tr key={t} className="nhsuk-table__row">
              <th scope="row" className="nhsuk-table__header">
                {t}
              </th>
              {board.days.map((d) => (
                <td key={d.date} className="nhsuk-table__cell">
                  <WeekCell windows={d.windows.filter((w) => w.startLabel === t)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
