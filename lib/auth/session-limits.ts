/**
 * How long a staff session lives: 30 minutes idle, 12 hours after sign-in however active. In its own
 * module (no next-auth import) so the worker's housekeeping can use the same numbers.
 */
export const SESSION_IDLE_MINUTES = 30
export const SESSION_ABSOLUTE_HOURS = 12
