/** `1 case`, `2 cases`: a count with its noun, for messages people read. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
