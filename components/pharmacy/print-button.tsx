'use client'

/** Opens the browser's print dialogue (the summary page is laid out for paper). */
export function PrintButton() {
  return (
    <button type="button" className="nhsuk-button nhsuk-button--secondary print:hidden" onClick={() => window.print()}>
      Print this summary
    </button>
  )
}
