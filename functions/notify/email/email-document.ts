/**
 * An email's content before it is written out: the templates say what to tell in these blocks, and one
 * renderer writes the plain text and another the HTML from the same blocks, so the two parts never disagree
 * and escaping happens in one place (html-part.ts), not in every template.
 */
export type Inline = string | { readonly text: string; readonly href: string };

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly parts: readonly Inline[] }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, readonly Inline[]])[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'action'; readonly text: string; readonly href: string };

export interface EmailDocument {
  readonly subject: string;
  readonly blocks: readonly Block[];
  readonly footer: readonly Block[];
}

export const link = (text: string, href: string): Inline => ({ text, href });
