// A zip of a working tree, as `stepdeploy start` uploads it for CodeBuild's S3 source: every file of
// the snapshot (lib/local/workspace-source.ts workingTreeFiles), deflated, with its Unix mode (so
// scripts stay executable) and symlinks kept as links.

import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const VERSION_MADE_BY_UNIX = (3 << 8) | 20;
const DEFLATE = 8;
const STORE = 0;
/** 1980-01-01 00:00 in DOS time: fixed, so the same tree zips to the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export async function zipWorkingTree(dir: string, names: readonly string[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const path = join(dir, name);
    const stats = await lstat(path);
    const data = stats.isSymbolicLink() ? Buffer.from(await readlink(path)) : await readFile(path);
    const deflated = deflateRawSync(data);
    const method = deflated.length < data.length ? DEFLATE : STORE;
    const body = method === DEFLATE ? deflated : data;
    const fileName = Buffer.from(name, 'utf8');
    const checksum = crc32(data);
    if (body.length >= 0xffffffff || offset >= 0xffffffff) throw new Error('the working tree is too large for a snapshot (zip64 is not written)');

    const shared = { method, checksum, compressed: body.length, size: data.length, nameLength: fileName.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, shared);
    locals.push(local, fileName, body);

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
    writeEntryFields(entry, 6, shared);
    entry.writeUInt32LE(((stats.mode & 0xffff) << 16) >>> 0, 38); // Unix mode and type in the high half
    entry.writeUInt32LE(offset, 42);
    central.push(entry, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (names.length > 0xffff) throw new Error('the working tree has more than 65535 files (zip64 is not written)');
  return Buffer.concat([...locals, directory, end]);
}

interface EntryFields {
  readonly method: number;
  readonly checksum: number;
  readonly compressed: number;
  readonly size: number;
  readonly nameLength: number;
}

/** The fields a local header and a central directory entry share, from `at` (version needed … name length). */
function writeEntryFields(buffer: Buffer, at: number, fields: EntryFields): void {
  buffer.writeUInt16LE(20, at);
  buffer.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  buffer.writeUInt16LE(fields.method, at + 4);
  buffer.writeUInt16LE(DOS_TIME, at + 6);
  buffer.writeUInt16LE(DOS_DATE, at + 8);
  buffer.writeUInt32LE(fields.checksum, at + 10);
  buffer.writeUInt32LE(fields.compressed, at + 14);
  buffer.writeUInt32LE(fields.size, at + 18);
  buffer.writeUInt16LE(fields.nameLength, at + 22);
}
