import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  checkEvidence,
  type EvidenceFailure,
  type EvidenceVerdict,
} from '../../../domain/log/evidence-check.ts';
import {
  describePacketProblem,
  MAX_EVIDENCE_PACKET_BYTES,
  readEvidencePacket,
} from '../../../domain/log/evidence-packet.ts';
import { EXIT } from '../cli-errors.ts';
import { counted } from '../counted.ts';
import { writeText } from '../write-text.ts';

export interface VerifyEvidenceOptions {
  readonly file: string;
  readonly json?: boolean;
}

/** Where the command writes: no ledger, no network, only the file named and these two streams. */
export interface VerifyEvidenceIO {
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

function failureLine(failure: EvidenceFailure): string {
  switch (failure.check) {
    case 'chain':
      return failure.reason === 'event_hash'
        ? `event version ${failure.version}: its content is not what its hash says (changed after it was recorded)`
        : failure.reason === 'link'
          ? `event version ${failure.version}: it does not name the hash of the event before it (the chain breaks there)`
          : `event version ${failure.version}: not where the chain expects it (an event missing, added or out of order)`;
    case 'other_case':
      return `event version ${failure.version}: it belongs to case ${failure.streamId}, not to this packet's case`;
    case 'inclusion':
      return `event version ${failure.version}: its inclusion proof (entry ${failure.index} of the log) does not lead to the checkpoint's root`;
    case 'checkpoint':
      return `the checkpoint cannot be read: ${failure.detail}`;
    case 'log_key':
      return `the log's key cannot be read: ${failure.detail}`;
    case 'origin':
      return `the checkpoint is of the log ${failure.origin}, but the key is named ${failure.keyName}`;
    case 'log_signature':
      return failure.found === 'none'
        ? "the checkpoint carries no signature by the log's key"
        : "the log's signature of the checkpoint does not verify (the checkpoint or the signature was changed)";
    case 'witness_key':
      return `a witness key cannot be read (${failure.detail}): ${failure.key}`;
    case 'cosignature':
      return `the cosignature of the witness ${failure.witness} does not verify`;
  }
}

const timeOf = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The verdict in plain words: one sentence, what failed and where, then the keys to compare. */
export function describeVerdict(verdict: EvidenceVerdict): string {
  const lines: string[] = [];
  if (verdict.ok && verdict.checkpoint) {
    const cosigned =
      verdict.cosigned === 0 ? 'no witness' : counted(verdict.cosigned, 'witness', 'witnesses');
    lines.push(
      `Verified: the ${counted(verdict.events, 'event')} of case ${verdict.caseId} ${verdict.events === 1 ? 'is' : 'are'} in the ledger's log at size ${verdict.checkpoint.size.toLocaleString('en')}, signed by ${verdict.logKey.name}, cosigned by ${cosigned}.`,
    );
  } else {
    lines.push(
      `NOT VERIFIED: ${counted(verdict.failures.length, 'check')} failed for case ${verdict.caseId}. Do not rely on this packet.`,
      ...verdict.failures.map((failure) => `  - ${failureLine(failure)}`),
    );
  }
  lines.push('', 'Compare these keys with the ones the ledger and the witnesses publish:');
  lines.push(`  log key:     ${verdict.logKey.text}`);
  for (const witness of verdict.witnesses) {
    const said =
      witness.cosignedAt === undefined ? 'did not cosign' : `cosigned at ${timeOf(witness.cosignedAt)}`;
    lines.push(`  witness key: ${witness.key} (${said})`);
  }
  if (verdict.checkpoint)
    lines.push(
      `  checkpoint:  ${verdict.checkpoint.origin}, size ${verdict.checkpoint.size}, root ${verdict.checkpoint.root}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The file's text, or why it cannot be had: a huge file is refused by its size before it is read. */
async function readPacketFile(path: string): Promise<{ text: string; size: number } | { error: string }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > MAX_EVIDENCE_PACKET_BYTES) return { text: '', size };
    const bytes = await handle.readFile();
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), size };
    } catch {
      return { error: 'the file is not UTF-8 text' };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      error:
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory, not a file'
            : code === 'EACCES'
              ? 'not allowed to read it'
              : (error as Error).message,
    };
  } finally {
    await handle?.close();
  }
}

/**
 * `ledger verify-evidence FILE`: checks an evidence packet on this machine alone. Exits 0 when every check
 * holds, 1 when one fails (each named, with where), 2 when the file cannot be read or is not a packet.
 */
export async function runVerifyEvidence(
  io: VerifyEvidenceIO,
  options: VerifyEvidenceOptions,
): Promise<number> {
  const path = resolve(io.cwd, options.file);
  const read = await readPacketFile(path);
  if ('error' in read) {
    await writeText(io.stderr, `${options.file}: cannot be read: ${read.error}\n`);
    return EXIT.usage;
  }
  const reading = readEvidencePacket(read.text, read.size);
  if (!reading.ok) {
    if (options.json)
      await writeText(
        io.stdout,
        `${JSON.stringify({ ok: false, file: options.file, problem: reading.problem })}\n`,
      );
    await writeText(
      io.stderr,
      `${options.file}: not an evidence packet: ${describePacketProblem(reading.problem)}\n`,
    );
    return EXIT.usage;
  }
  const verdict = checkEvidence(reading.packet);
  await writeText(io.stdout, options.json ? `${JSON.stringify(verdict)}\n` : describeVerdict(verdict));
  return verdict.ok ? EXIT.ok : EXIT.failed;
}
