import type { CliIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';

/** Runs `stepdeploy <argv>` in-process in `cwd`, capturing what it prints. */
export async function runCli(cwd: string, argv: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTTY: false, cwd, env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
