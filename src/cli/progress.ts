/** Formats a one-line progress bar: `[#####-----]  50% 340/681 TCGA_CS_4941 (2.1 s left)`. */
export function formatProgressLine(done: number, total: number, label: string, elapsedSeconds: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const percent = String(Math.round(fraction * 100)).padStart(3);
  const eta = done > 0 && done < total ? ` (${((elapsedSeconds / done) * (total - done)).toFixed(1)} s left)` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total} ${label}${eta}`;
}

/** A progress bar on stderr when it is a terminal, silent otherwise (pipes, CI, `--json` consumers). */
export class TerminalProgress {
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(done: number, total: number, label: string): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (done < total && now - this.lastDraw < 100) return; // ~10 redraws a second is plenty for a human
    this.lastDraw = now;
    const line = formatProgressLine(done, total, label, (now - this.started) / 1000);
    this.stream.write(`\r${line.slice(0, (this.stream.columns || 80) - 1)}\x1b[K`);
  }

  finish(): void {
    if (this.stream.isTTY && this.lastDraw > 0) this.stream.write('\r\x1b[K');
  }
}
