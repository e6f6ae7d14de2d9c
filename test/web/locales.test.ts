import { describe, expect, it } from 'vitest';
import { resources } from '../../web/src/i18n/resources.ts';

type Tree = { readonly [key: string]: string | Tree };

/** Every key path of a namespace with its text: `nav.board` → "Board". */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [inner, text] of leaves(value, path)) found.set(inner, text);
  }
  return found;
}

describe('the interface texts', () => {
  const namespaces = Object.keys(resources.en) as (keyof typeof resources.en)[];

  it('has the same namespaces in English and Russian', () => {
    expect(Object.keys(resources.ru).sort()).toEqual([...namespaces].sort());
  });

  it.each(namespaces)('has every %s text in both languages, none of them empty', (namespace) => {
    const en = leaves(resources.en[namespace] as Tree);
    const ru = leaves(resources.ru[namespace] as Tree);
    expect([...ru.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [path, text] of [...en, ...ru]) expect(text.trim(), path).not.toBe('');
  });

  it.each(namespaces)('keeps the same placeholders in both languages of %s', (namespace) => {
    const en = leaves(resources.en[namespace] as Tree);
    const ru = leaves(resources.ru[namespace] as Tree);
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const [path, text] of en) expect(placeholders(ru.get(path) ?? ''), path).toEqual(placeholders(text));
  });
});
