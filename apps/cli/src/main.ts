#!/usr/bin/env node
/**
 * `hashiya`: export and import documents from the command line, against a
 * running server (`--server`, or HASHIYA_SERVER) or directly on the data
 * directory (`--data-dir`, DATA_DIR, default ./data — the server's default).
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { EXPORT_FORMATS, type ExportFormat } from '@hashiya/export'
import { CliError, connectToServer, openDataDirectory, type Target } from './targets.js'

const USAGE = `Usage:
  pnpm hashiya list                                 documents and their ids
  pnpm hashiya export <id>... --format <format> [-o <file|dir|->] [--at <version>]
  pnpm hashiya import <file> [--text <file.txt>] [--title <title>]

Where:
  --server <url>     a running server, e.g. http://127.0.0.1:8787 (or HASHIYA_SERVER)
  --token <token>    an API token for that server (or HASHIYA_TOKEN)
  --data-dir <dir>   the server's data directory, used directly (or DATA_DIR; default ./data)
  --user <account>   who a direct import is attributed to and owned by (default: cli,
                     which only leads and admins see until it is shared)

Formats: ${EXPORT_FORMATS.join(', ')}
--at takes a version id (v12), a log position (s345) or an ISO time.
-o - writes a single export to standard output.`

const options = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  at: { type: 'string' },
  text: { type: 'string' },
  title: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  user: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values']

function openTarget(values: Values): Target {
  const server = values.server ?? process.env.HASHIYA_SERVER
  if (server) return connectToServer(server, values.token || process.env.HASHIYA_TOKEN)
  const dataDir = resolve(values['data-dir'] ?? (process.env.DATA_DIR || 'data'))
  return openDataDirectory(dataDir, values.user ?? 'cli')
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false
}

async function runExport(target: Target, ids: string[], values: Values): Promise<void> {
  if (ids.length === 0) throw new CliError('Name at least one document id (see `hashiya list`).', 2)
  const format = values.format ?? 'json'
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not ${format}.`, 2)
  }
  const output = values.output
  if (output === '-' && ids.length > 1) throw new CliError('-o - takes a single document.', 2)
  const intoDirectory = output === undefined || ids.length > 1 || (await isDirectory(output))
  if (ids.length > 1 && output !== undefined && !(await isDirectory(output))) {
    throw new CliError(`-o must be an existing directory when exporting several documents.`, 2)
  }
  for (const id of ids) {
    const file = await target.exportDocument(id, format as ExportFormat, values.at)
    const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body
    if (output === '-') {
      process.stdout.write(bytes)
      continue
    }
    const path = intoDirectory ? join(output ?? '.', basename(file.filename)) : output
    await writeFile(path, bytes)
    process.stderr.write(`${id} → ${path} (${bytes.byteLength} bytes)\n`)
  }
}

async function runImport(target: Target, files: string[], values: Values): Promise<void> {
  if (files.length !== 1) throw new CliError('Name one file to import.', 2)
  const path = files[0] as string
  const read = (file: string) =>
    readFile(file).catch(() => {
      throw new CliError(`Cannot read ${file}.`)
    })
  const imported = await target.importFile({
    filename: basename(path),
    bytes: await read(path),
    text: values.text
      ? { filename: basename(values.text), bytes: await read(values.text) }
      : undefined,
    title: values.title,
  })
  const { report } = imported
  process.stdout.write(`${imported.document.id}\t${imported.document.title}\n`)
  process.stderr.write(
    `Imported ${report.format}: ${report.paragraphs} paragraphs, ${report.annotations} annotations kept` +
      (report.dropped.length > 0
        ? `; not placed: ${report.dropped.map((d) => JSON.stringify(d)).join(', ')}`
        : '') +
      '\n',
  )
}

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : error}\n\n${USAGE}`, 2)
  }
  const [command, ...rest] = parsed.positionals
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  if (!['list', 'export', 'import'].includes(command)) {
    throw new CliError(`Unknown command ${command}.\n\n${USAGE}`, 2)
  }
  const target = openTarget(parsed.values)
  try {
    if (command === 'list') {
      for (const doc of await target.list()) {
        process.stdout.write(`${doc.id}\t${doc.updatedAt}\t${doc.title}\n`)
      }
    } else if (command === 'export') {
      await runExport(target, rest, parsed.values)
    } else {
      await runImport(target, rest, parsed.values)
    }
  } finally {
    await target.close()
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`hashiya: ${error.message}\n`)
    process.exitCode = error.exitCode
    return
  }
  process.stderr.write(
    `hashiya: unexpected failure: ${error instanceof Error ? error.stack : error}\n`,
  )
  process.exitCode = 1
})
