import type { Bundle, Encounter, Resource } from '@medplum/fhirtypes'

export interface TReplyIds {
  /** Ids we already hold for particular entries (fullUrl → id), e.g. the ServiceRequest's referral id. */
  byFullUrl: Record<string, string>
  /**
   * Ids that are already ours when a sender carries them (the Slot, Schedule and HealthcareService ids
   * we issued from GET /Slot, resources we assigned ids to earlier). Any other id a sender put on a
   * resource is replaced by a new receiver id: ids in the reply are the receiver's (spec §2.4).
   */
  ourIds?: ReadonlySet<string>
  /** Our planned Encounter for a referral: its id and the human-readable case reference. */
  plannedEncounter?: { id: string; caseReference: string; identifierSystem: string; patientRef?: string; serviceRequestRef?: string }
  /** Appointment.created for bookings. */
  appointmentCreated?: { fullUrl: string; created: string }
  now: string
}

/**
 * The synchronous $process-message answer (spec §2.4): the bundle echoed, every resource given a
 * receiver id — the id we assigned (byFullUrl), else the sender's id when it is one of ours (ourIds,
 * e.g. the Slot from GET /Slot), else a new one — plus our planned Encounter for referrals and
 * Appointment.created for bookings. The input is not modified.
 */
export function buildMessageReply(request: Bundle, ids: TReplyIds): Bundle {
  // Copy only what changes (the entry list, each entry and its resource's top level); everything
  // below is shared with the request, which nothing here writes to. A deep copy of the 23 KB
  // bundle (structuredClone) was the largest single cost of a referral in the server's profile.
  const reply: Bundle = {
    ...request,
    entry: request.entry?.map((entry) => {
      const source = entry.resource as Resource | undefined
      if (!source) return { ...entry }
      const resource = { ...source } as Resource
      const assigned = entry.fullUrl ? ids.byFullUrl[entry.fullUrl] : undefined
      if (assigned) resource.id = assigned
      else if (!resource.id || !ids.ourIds?.has(resource.id)) resource.id = crypto.randomUUID()
      if (ids.appointmentCreated && entry.fullUrl === ids.appointmentCreated.fullUrl && resource.resourceType === 'Appointment') {
        resource.created = ids.appointmentCreated.created
      }
      return { ...entry, resource }
    }),
  }
  if (request.entry === undefined) delete reply.entry
  if (ids.plannedEncounter) {
    const p = ids.plannedEncounter
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: p.id,
      meta: { lastUpdated: ids.now, profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter'] },
      identifier: [{ system: p.identifierSystem, value: p.caseReference }],
      status: 'planned',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
      ...(p.patientRef ? { subject: { reference: p.patientRef } } : {}),
      ...(p.serviceRequestRef ? { basedOn: [{ reference: p.serviceRequestRef }] } : {}),
    }
    reply.entry = [...(reply.entry ?? []), { fullUrl: `urn:uuid:${p.id}`, resource: encounter }]
  }
  return reply
}
