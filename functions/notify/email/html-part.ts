import type { Block, EmailDocument, Inline } from './email-document.ts';

/**
 * The HTML part. Every text and every address is escaped here, whatever its origin: notices hold only ids,
 * dates and kinds, but ids are chosen by clients, and one unescaped `<` would let a client write into the mail.
 */
export function htmlPart(document: EmailDocument, lang: string): string {
  const body = document.blocks.map(htmlOfBlock).join('\n');
  const footer = document.footer.map(htmlOfBlock).join('\n');
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(document.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em">',
    body,
    `<hr><div style="font-size: 0.85em; color: #555">${footer}</div>`,
    '</body></html>',
    '',
  ].join('\n');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only web addresses become links: a `javascript:` address would be escaped text, not a link. */
function href(address: string): string {
  return /^https?:\/\//i.test(address) ? escapeHtml(address) : '#';
}

function htmlOfInline(part: Inline): string {
  return typeof part === 'string'
    ? escapeHtml(part)
    : `<a href="${href(part.href)}">${escapeHtml(part.text)}</a>`;
}

const htmlOfParts = (parts: readonly Inline[]) => parts.map(htmlOfInline).join('');

function htmlOfBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h2 style="font-size: 1.2em">${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return `<p>${htmlOfParts(block.parts)}</p>`;
    case 'facts':
      return `<table role="presentation">${block.rows
        .map(
          ([label, value]) =>
            `<tr><th align="left" style="padding-right: 1em">${escapeHtml(label)}</th><td>${htmlOfParts(value)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${htmlOfParts(item)}</li>`).join('')}</ul>`;
    case 'action':
      return `<p><a href="${href(block.href)}" style="font-weight: bold">${escapeHtml(block.text)}</a></p>`;
  }
}
