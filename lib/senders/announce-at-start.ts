// Imported once by instrumentation.ts when the Node.js server starts: refuse a production
// environment without sender authentication (exit 1), else warn when senders are not authenticated.
import { announceSenderAuth } from './sender-auth-posture'

try {
  announceSenderAuth()
} catch (e) {
  console.error(`[bars-inbox] refusing to start: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
}
