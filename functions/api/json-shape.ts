import type { FieldIssue } from '../../domain/errors.ts';

/** The shape every JSON body must keep, whatever the route: checked before any schema sees it. */
export const JSON_SHAPE_LIMITS = {
  /** Deeper than any request of the catalogue needs (an event's sources are four levels down). */
  maxDepth: 12,
  /** Longer than any list the catalogue allows (50 events, 100 charges). */
  maxArrayLength: 1000,
  /** Longer than any text field (notes are 4,000 characters). */
  maxStringLength: 16_384,
  maxKeysPerObject: 100,
} as const;

/**
 * Whether a `content-type` names JSON: `application/json` or any `+json` type (`application/merge-patch+json`,
 * `application/problem+json`, vendor types), with or without parameters. The same test as the request validator
 * that parses the body, so no body it reads as JSON escapes the shape checks.
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^application\/([\w.-]+\+)?json$/.test(essence);
}

/** Keys that mean something to JavaScript objects: no request has a use for them, and some code trusts them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first few ways a parsed JSON body breaks the limits, with their paths; empty when it keeps them.
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function jsonShapeIssues(body: unknown, limits = JSON_SHAPE_LIMITS): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0 && issues.length < 5) {
    const { value, path, depth } = stack.pop()!;
    const where = path || '(body)';
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        issues.push({ path: where, message: `a text may be at most ${limits.maxStringLength} characters` });
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      issues.push({ path: where, message: `nested deeper than ${limits.maxDepth} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        issues.push({ path: where, message: `a list may hold at most ${limits.maxArrayLength} items` });
        continue;
      }
      value.forEach((item, index) => {
        stack.push({ value: item, path: path ? `${path}.${index}` : String(index), depth: depth + 1 });
      });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > limits.maxKeysPerObject) {
      issues.push({ path: where, message: `an object may have at most ${limits.maxKeysPerObject} fields` });
      continue;
    }
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push({ path: child, message: `the field name ${JSON.stringify(key)} is not allowed` });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return issues;
}
