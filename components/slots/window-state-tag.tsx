import { Tag } from 'nhsuk-react-components'
import type { TWindowState } from '@/lib/slots/slot-views'

const TAGS: Record<TWindowState, { text: string; modifier: 'green' | 'grey' | 'orange' | 'red' | 'white' }> = {
  free: { text: 'Free', modifier: 'green' },
  full: { text: 'Full', modifier: 'grey' },
  overbooked: { text: 'Overbooked', modifier: 'orange' },
  blocked: { text: 'Blocked', modifier: 'red' },
  ended: { text: 'Ended', modifier: 'white' },
}

export function WindowStateTag({ state }: { state: TWindowState }) {
  return <Tag modifier={TAGS[state].modifier}>{TAGS[state].text}</Tag>
}
