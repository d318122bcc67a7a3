import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const log = fs.readFileSync(path.join(root, 'docs/hazard-log.md'), 'utf8')

interface TEvidence {
  hazard: string
  file: string
  name: string
}

function evidence(): TEvidence[] {
  const out: TEvidence[] = []
  let hazard = ''
  for (const line of log.split('\n')) {
    const h = /^## (H\d+) /.exec(line)
    if (h) hazard = h[1]!
    const e = /^\s*- `([^`]+)` › (.+)$/.exec(line)
    if (e && hazard) out.push({ hazard, file: e[1]!, name: e[2]!.trim() })
  }
  return out
}

describe('docs/hazard-log.md', () => {
  const all = evidence()

  it('names, for every hazard, at least one test that exists today', () => {
    const hazards = [...log.matchAll(/^## (H\d+) /gm)].map((m) => m[1]!)
    expect(hazards.length).toBeGreaterThanOrEqual(9)
    for (const h of hazards) expect(all.filter((e) => e.hazard === h).length, h).toBeGreaterThan(0)
  })

  it('every evidence line names a file that exists and a test name that is in it', () => {
    expect(all.length).toBeGreaterThan(20)
    for (const e of all) {
      const file = path.join(root, e.file)
      expect(fs.existsSync(file), `${e.hazard}: ${e.file} exists`).toBe(true)
      expect(fs.readFileSync(file, 'utf8').includes(e.name), `${e.hazard}: "${e.name}" in ${e.file}`).toBe(true)
    }
  })
})
