import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from './audit-csv'

describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny'])).toBe('a,"b,c","say ""hi""","x\ny"\r\n')
  })
  it('neutralises spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
  })
  it('writes dates in ISO, objects as JSON and nothing for null', () => {
    expect(csvCell(new Date('2026-11-28T10:00:00Z'))).toBe('2026-11-28T10:00:00.000Z')
    expect(csvCell({ status: 200 })).toBe('"{""status"":200}"')
    expect(csvCell(null)).toBe('')
  })
})
