import type { Block, EmailDocument, Inline } from './email-document.ts';

/** The plain-text part: links written out as addresses, because a text reader cannot click words. */
export function textPart(document: EmailDocument): string {
  const blocks = [...document.blocks.map(textOfBlock), '--', ...document.footer.map(textOfBlock)];
  return `${blocks.join('\n\n')}\n`;
}

function textOfInline(part: Inline): string {
  return typeof part === 'string' ? part : `${part.text} (${part.href})`;
}

const textOfParts = (parts: readonly Inline[]) => parts.map(textOfInline).join('');

function textOfBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${block.text}\n${'='.repeat(Math.min(block.text.length, 72))}`;
    case 'paragraph':
      return textOfParts(block.parts);
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${textOfParts(value)}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${textOfParts(item)}`).join('\n');
    case 'action':
      return `${block.text}:\n${block.href}`;
  }
}
